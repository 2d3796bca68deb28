package io.resquebus.subscription;

/**
 * A Ruby regular expression that {@code java.util.regex} cannot reproduce (wire-format §6.3), or one
 * Ruby itself rejects. A subscription holding it never matches; Java never registers one.
 */
public class UnsupportedRegexException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final String construct;

	public UnsupportedRegexException(String construct, String pattern, String reason) {
		super("Ruby regex construct " + construct + " in /" + pattern + "/ " + reason);
		this.construct = construct;
	}

	/** The offending piece of the pattern, e.g. {@code \K} or {@code (?~}. */
	public String construct() {
		return construct;
	}
}
