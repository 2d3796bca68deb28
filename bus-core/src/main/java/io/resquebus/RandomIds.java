package io.resquebus;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * The random part of {@link BusIdGenerator#DEFAULT}'s ids: a version-4 UUID (122 random bits, the
 * version and variant bits set as {@link UUID#randomUUID()} sets them) drawn from a per-thread
 * xoshiro256++ generator instead of {@link SecureRandom} on every id.
 *
 * <p>Why the collision risk is of the same order as {@code UUID.randomUUID()}'s: each thread's
 * generator has 256 bits of state, seeded once from {@link SecureRandom} (so two threads, or two
 * processes, share no seed, and the chance that two streams ever overlap is of the order of
 * 2<sup>-190</sup> even for 2<sup>64</sup> ids each); xoshiro256++ output passes the usual statistical
 * batteries, so two ids collide with the birthday probability over 122 bits, as random UUIDs do
 * (and, being prefixed with the epoch second, only within the same second). What is given up is
 * unpredictability: ids are not secrets (they are written in clear into every job), and nothing
 * relies on them being unguessable. As with any generator state held in memory, a process restored
 * more than once from the same memory snapshot (CRaC) would repeat the ids its snapshotted threads
 * make next; {@code UUID.randomUUID()} would not.
 */
final class RandomIds {

	private static final SecureRandom SEEDS = new SecureRandom();

	private static final ThreadLocal<RandomIds> GENERATORS = ThreadLocal.withInitial(RandomIds::new);

	private long s0;

	private long s1;

	private long s2;

	private long s3;

	private RandomIds() {
		byte[] seed = new byte[32];
		SEEDS.nextBytes(seed);
		this.s0 = toLong(seed, 0);
		this.s1 = toLong(seed, 8);
		this.s2 = toLong(seed, 16);
		this.s3 = toLong(seed, 24);
		if ((this.s0 | this.s1 | this.s2 | this.s3) == 0) {
			this.s0 = 1; // the one state xoshiro cannot leave
		}
	}

	/** A random version-4 UUID, lowercase, in the 8-4-4-4-12 layout. */
	static String uuid() {
		RandomIds random = GENERATORS.get();
		long msb = (random.nextLong() & ~0xF000L) | 0x4000L; // version 4
		long lsb = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L; // IETF variant
		return new UUID(msb, lsb).toString();
	}

	/** xoshiro256++ (Blackman and Vigna). */
	private long nextLong() {
		long result = Long.rotateLeft(this.s0 + this.s3, 23) + this.s0;
		long t = this.s1 << 17;
		this.s2 ^= this.s0;
		this.s3 ^= this.s1;
		this.s1 ^= this.s2;
		this.s0 ^= this.s3;
		this.s2 ^= t;
		this.s3 = Long.rotateLeft(this.s3, 45);
		return result;
	}

	private static long toLong(byte[] bytes, int from) {
		long value = 0;
		for (int i = from; i < from + 8; i++) {
			value = (value << 8) | (bytes[i] & 0xFF);
		}
		return value;
	}

}
