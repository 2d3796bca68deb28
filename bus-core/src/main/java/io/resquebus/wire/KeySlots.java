package io.resquebus.wire;

/**
 * Redis Cluster's hash slot of a key: CRC16 (XMODEM) modulo 16384, of the text inside the first
 * {@code {…}} when that text is non-empty. Here, next to the key names, because
 * {@link BusKeys} places the partitions of {@code bus_incoming} by slot.
 */
public final class KeySlots {

	/** The number of hash slots of a Redis Cluster. */
	public static final int SLOTS = 16384;

	private static final int[] TABLE = new int[256];

	static {
		for (int i = 0; i < 256; i++) {
			int crc = i << 8;
			for (int bit = 0; bit < 8; bit++) {
				crc = ((crc & 0x8000) != 0) ? (crc << 1) ^ 0x1021 : crc << 1;
			}
			TABLE[i] = crc & 0xFFFF;
		}
	}

	private KeySlots() {
	}

	/** The slot of a key as Redis computes it for {@code CLUSTER KEYSLOT}. */
	public static int slot(byte[] key) {
		int start = 0;
		int end = key.length;
		for (int open = 0; open < key.length; open++) {
			if (key[open] == '{') {
				for (int close = open + 1; close < key.length; close++) {
					if (key[close] == '}') {
						if (close > open + 1) {
							start = open + 1;
							end = close;
						}
						break;
					}
				}
				break;
			}
		}
		int crc = 0;
		for (int i = start; i < end; i++) {
			crc = ((crc << 8) ^ TABLE[((crc >>> 8) ^ key[i]) & 0xFF]) & 0xFFFF;
		}
		return crc % SLOTS;
	}

}
