#!/usr/bin/env python3
"""Moves bus-core classes to the package layout of issue 10, and fixes every reference to them.

Deterministic and re-runnable: run it on any newer main (``tools/relayout.sh``) and it moves what
is still in an old package, leaves what already moved, and rewrites ``package``/``import`` lines,
fully-qualified names (Java, Markdown, ``META-INF`` files, JSON metadata) across the whole tree.

Rules, so files added after this script was written are handled too:
- a class in MOVES goes to its new package;
- a source file in the same old package whose name starts with a moved class's name
  (``QueueRunnerSupport``, ``ConsumerRegistryTests``) goes with it, main or test;
- any other class stays where it is and gets the imports it now needs (a class it used without
  an import that moved away, or, for a moved class, the classes of its old package it used).
- a class already in its new package (a run before moved it) still has its old name rewritten, so a
  re-run after merging a branch written against the old layout fixes that branch's imports,
  fully-qualified names and same-package uses; on a tree without old-layout references it changes nothing.
New packages get a ``package-info.java`` (``@NullMarked``) unless they have one.
"""

import os
import re
import subprocess
import sys

BASE = "io.resquebus"

# old fully-qualified name -> new package
MOVES = {
    # The runners' machinery gets a package of its own.
    f"{BASE}.BusRunner": f"{BASE}.runner",
    f"{BASE}.QueueRunner": f"{BASE}.runner",
    f"{BASE}.RunnerControl": f"{BASE}.runner",
    f"{BASE}.RunnerPause": f"{BASE}.runner",
    f"{BASE}.worker.ConsumerRegistry": f"{BASE}.runner",
    f"{BASE}.worker.OrphanRecovery": f"{BASE}.runner",
    f"{BASE}.worker.BusMaintenance": f"{BASE}.runner",
    # Handler invocation: what runs a job's handler, and what that throws.
    f"{BASE}.worker.JobDispatcher": f"{BASE}.invoke",
    f"{BASE}.worker.EventBindingException": f"{BASE}.invoke",
    f"{BASE}.worker.UnknownSubscriptionException": f"{BASE}.invoke",
    # Internals other packages of the bus share (not API).
    f"{BASE}.worker.EventBinder": f"{BASE}.internal",
    f"{BASE}.worker.InProcessDelivery": f"{BASE}.internal",
}

NEW_PACKAGE_DOCS = {
    f"{BASE}.runner": "Runners: consumer threads that poll Redis (the base of the driver, worker and scheduler),\n"
    " * their pause switch, the consumer registry (leases, Resque worker entries), the recovery of dead\n"
    " * consumers' jobs and the maintenance thread that renews and recovers.",
    f"{BASE}.invoke": "Handler invocation: runs one job's handler for its subscription, and the errors that tell\n"
    " * a job retrying cannot fix.",
    f"{BASE}.internal": "Internal: shared by the bus's own packages and its test support, not an API; may change\n"
    " * in any release. Binds events to handler parameters and delivers events in process.",
}

SOURCE_ROOTS = ("src/main/java", "src/test/java")
TEXT_SUFFIXES = (".java", ".md", ".json", ".imports", ".factories", ".xml", ".properties", ".yml", ".yaml",
                 ".kt", ".txt", ".adoc")


def git(*args):
    return subprocess.run(["git", *args], check=True, capture_output=True, text=True).stdout


def tracked_files():
    return [f for f in git("ls-files", "-z").split("\0") if f and os.path.isfile(f)]


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def java_info(path):
    """(module source root, package, simple name) of a Java source file, or None."""
    for root in SOURCE_ROOTS:
        marker = "/" + root + "/"
        if marker in "/" + path and path.endswith(".java"):
            prefix, rel = ("/" + path).split(marker, 1)
            rel_dir, name = os.path.split(rel)
            return prefix.lstrip("/") + "/" + root if prefix else root, rel_dir.replace("/", "."), name[:-5]
    return None


def matching_moves(files, from_new):
    """path -> (source root, package now, simple name, the other package of its MOVES entry) for each
    Java file of a moved class or named after one, found in its old package (from_new false) or its
    new one (from_new true). The longest matching name wins (BusRunnerStopTests follows BusRunner)."""
    by_pkg = {}
    for fq, new_pkg in MOVES.items():
        old_pkg, name = fq.rsplit(".", 1)
        here, other = (new_pkg, old_pkg) if from_new else (old_pkg, new_pkg)
        by_pkg.setdefault(here, []).append((name, other))
    found = {}
    for path in files:
        info = java_info(path)
        if info is None or info[1] not in by_pkg or info[2] == "package-info":
            continue
        candidates = [(moved, other) for moved, other in by_pkg[info[1]] if info[2].startswith(moved)]
        if candidates:
            found[path] = (*info, max(candidates, key=lambda c: len(c[0]))[1])
    return found


def plan_moves(files):
    """path -> (new path, old package, new package, simple name)."""
    return {path: (f"{src_root}/{new_pkg.replace('.', '/')}/{name}.java", pkg, new_pkg, name)
            for path, (src_root, pkg, name, new_pkg) in matching_moves(files, False).items()}


def plan_moved(files):
    """path -> old package, for files already in their new package (an earlier run moved them), so a
    re-run after merging a branch of the old layout still rewrites that branch's references to them."""
    return {path: old_pkg for path, (*_info, old_pkg) in matching_moves(files, True).items()}


IMPORT_RE = re.compile(r"^import\s+(static\s+)?([\w.]+)(\.\*)?\s*;\s*$", re.M)
PACKAGE_RE = re.compile(r"^package\s+([\w.]+)\s*;", re.M)


def strip_noise(text):
    """The code without package/import lines and string literals, for finding simple-name uses."""
    text = PACKAGE_RE.sub("", text)
    text = IMPORT_RE.sub("", text)
    return re.sub(r'"(?:\\.|[^"\\])*"', '""', text)


def fix_imports(text, own_pkg, needed, force_sort=False):
    """Adds imports of the given fully-qualified names, drops same-package and duplicate ones, and
    sorts each block of imports the file ends up with."""
    lines = text.split("\n")
    imports = [(i, m) for i, line in enumerate(lines) for m in [IMPORT_RE.match(line)] if m]
    existing = {m.group(2) for _, m in imports if not m.group(1)}
    imported_names = {fq.rsplit(".", 1)[1]: fq for fq in existing}
    to_add = []
    for fq in sorted(needed):
        pkg, name = fq.rsplit(".", 1)
        if pkg == own_pkg or fq in existing:
            continue
        if name in imported_names and imported_names[name] != fq:
            continue  # another class of that name is imported; leave it for the compiler to flag
        to_add.append(f"import {fq};")
    drop = set()
    seen = set()
    for i, m in imports:
        fq = m.group(2)
        key = (bool(m.group(1)), fq, bool(m.group(3)))
        if key in seen:
            drop.add(i)
        seen.add(key)
        if not m.group(1) and not m.group(3) and fq.rsplit(".", 1)[0] == own_pkg:
            drop.add(i)
    if not to_add and not drop and not force_sort:
        return text
    if not imports:
        pkg_line = next(i for i, line in enumerate(lines) if PACKAGE_RE.match(line))
        lines[pkg_line + 1:pkg_line + 1] = [""] + to_add
        return "\n".join(lines)
    # Non-java imports of ours go into the block that has other non-java, non-static imports.
    blocks = []
    for i, m in imports:
        if blocks and blocks[-1][-1] == i - 1:
            blocks[-1].append(i)
        else:
            blocks.append([i])
    target = None
    for block in blocks:
        kinds = [IMPORT_RE.match(lines[i]) for i in block]
        if any(not k.group(1) and not k.group(2).startswith(("java.", "javax.")) for k in kinds):
            target = block
            break
    new_lines = list(lines)
    if target is None:
        # Only java.* (or static) imports so far: a block of its own after the first block.
        last = blocks[0][-1]
        new_lines[last + 1:last + 1] = [""] + to_add
        to_add = []
        text = "\n".join(new_lines)
        return fix_imports(text, own_pkg, set())
    for block in blocks:
        body = [lines[i] for i in block if i not in drop]
        if block is target:
            body = body + to_add
        body = sorted(set(body), key=import_sort_key)
        for i in block:
            new_lines[i] = None
        new_lines[block[0]] = "\n".join(body) if body else None
    result = "\n".join(line for line in new_lines if line is not None)
    return re.sub(r"\n\n\n+(?=import|public|final|abstract|class|interface|record|enum|@|/\*\*)", "\n\n", result)


def import_sort_key(line):
    return line.rstrip(";").replace("import static ", "import ").split(" ", 1)[1]


def main():
    root = git("rev-parse", "--show-toplevel").strip()
    os.chdir(root)
    files = tracked_files()
    moves = plan_moves(files)
    moved_before = plan_moved(files)

    # Every class's package before the move, by simple name, per package.
    classes_by_pkg = {}
    for path in files:
        info = java_info(path)
        if info and info[2] != "package-info":
            classes_by_pkg.setdefault(info[1], set()).add(info[2])
    present_by_pkg = {pkg: set(names) for pkg, names in classes_by_pkg.items()}
    for path, old_pkg in moved_before.items():
        classes_by_pkg.setdefault(old_pkg, set()).add(java_info(path)[2])

    # old fq -> new fq for every moving class (main and test)
    renames = {}
    for path, (new_path, old_pkg, new_pkg, name) in moves.items():
        renames[f"{old_pkg}.{name}"] = f"{new_pkg}.{name}"
    for path, old_pkg in moved_before.items():
        _, new_pkg, name = java_info(path)
        renames.setdefault(f"{old_pkg}.{name}", f"{new_pkg}.{name}")

    # 1. Move the files.
    for path, (new_path, *_rest) in sorted(moves.items()):
        os.makedirs(os.path.dirname(new_path), exist_ok=True)
        git("mv", path, new_path)
    files = [moves[f][0] if f in moves else f for f in files]
    moved_to = {m[0]: m for m in moves.values()}

    # 2. Package lines, fully-qualified names and imports.
    fq_patterns = [(re.compile(r"(?<![\w.])" + re.escape(old) + r"(?![\w])"), new)
                   for old, new in sorted(renames.items(), key=lambda r: -len(r[0]))]
    path_patterns = [(re.compile(r"(?<![\w/])" + re.escape(old.replace(".", "/")) + r"(?=\.java|\.class|\b)"),
                      new.replace(".", "/")) for old, new in renames.items()]
    new_pkg_of = {}  # (old package, simple name) -> new package
    for old, new in renames.items():
        old_pkg, name = old.rsplit(".", 1)
        new_pkg_of[(old_pkg, name)] = new.rsplit(".", 1)[0]

    changed = 0
    for path in files:
        if not path.endswith(TEXT_SUFFIXES) or path.startswith("tools/relayout"):
            continue
        try:
            text = read(path)
        except UnicodeDecodeError:
            continue
        original = text
        for pattern, new in fq_patterns:
            text = pattern.sub(new, text)
        imports_rewritten = IMPORT_RE.findall(text) != IMPORT_RE.findall(original)
        for pattern, new in path_patterns:
            text = pattern.sub(new, text)
        info = java_info(path)
        if info and info[2] != "package-info":
            _, pkg_now, name = info
            old_pkg = moved_to[path][1] if path in moved_to else moved_before.get(path, pkg_now)
            if path in moved_to:
                text = PACKAGE_RE.sub(f"package {pkg_now};", text, count=1)
            code = strip_noise(text)
            needed = set()
            # Classes of the file's old package it may use without an import.
            for other in classes_by_pkg.get(old_pkg, ()):
                if other == name or (other in present_by_pkg.get(pkg_now, ()) and pkg_now != old_pkg):
                    continue  # itself, or a class of its own package (which an import would shadow)
                other_pkg = new_pkg_of.get((old_pkg, other), old_pkg)
                if other_pkg != pkg_now and re.search(r"(?<![\w.])" + re.escape(other) + r"\b", code):
                    needed.add(f"{other_pkg}.{other}")
            text = fix_imports(text, pkg_now, needed, imports_rewritten)
        if text != original:
            write(path, text)
            changed += 1

    # 3. package-info for new packages (main sources), in the style of the others.
    for new_pkg, doc in NEW_PACKAGE_DOCS.items():
        info_path = f"bus-core/src/main/java/{new_pkg.replace('.', '/')}/package-info.java"
        if not os.path.exists(info_path):
            os.makedirs(os.path.dirname(info_path), exist_ok=True)
            write(info_path, f"/**\n * {doc}\n */\n@NullMarked\npackage {new_pkg};\n\n"
                             "import org.jspecify.annotations.NullMarked;\n")
            git("add", info_path)

    print(f"relayout: moved {len(moves)} file(s), rewrote {changed} file(s)")


if __name__ == "__main__":
    sys.exit(main())
