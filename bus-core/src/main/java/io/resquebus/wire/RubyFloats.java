package io.resquebus.wire;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Ruby's {@code Float#to_s} (wire-format §6.5), which is also how the {@code json} gem writes floats.
 *
 * <p>Ruby prints the shortest digits that read back as the same double (the nearest such if several).
 * JDK 17's {@code Double.toString} is sometimes longer ({@code 9.999999999999999E22} for
 * {@code 1.0e+23}); JDK 19+ gets normal doubles right but prefers a closer two-digit form for some
 * subnormals ({@code 4.9E-324} where Ruby has {@code 5.0e-324}). Exact fast paths cover nearly all
 * values; the rest is decided exactly with {@link BigDecimal}.
 */
final class RubyFloats {

	private static final double TWO_POW_53 = 9007199254740992.0;

	private static final BigDecimal HALF = new BigDecimal("0.5");

	/** JDK-4511638, fixed in JDK 19: {@code Double.toString} now yields the shortest digits. */
	private static final boolean JDK_PRINTS_SHORTEST = Runtime.version().feature() >= 19;

	private RubyFloats() {
	}

	static String format(double d) {
		if (Double.isNaN(d)) {
			return "NaN";
		}
		if (Double.isInfinite(d)) {
			return d > 0 ? "Infinity" : "-Infinity";
		}
		if (d == 0.0) {
			return Double.doubleToRawLongBits(d) < 0 ? "-0.0" : "0.0";
		}
		StringBuilder out = new StringBuilder(26);
		if (d < 0) {
			out.append('-');
			d = -d;
		}
		Digits digits = shortestDigits(d);
		layout(digits.digits, digits.decpt, out);
		return out.toString();
	}

	/** Digits {@code d1…dn} without trailing zeros and {@code decpt} with value = 0.d1…dn × 10^decpt. */
	private record Digits(String digits, int decpt) {
	}

	private static Digits shortestDigits(double d) {
		if (d < TWO_POW_53 && d == Math.rint(d)) {
			// An integral double below 2^53 is exact and its neighbours are at most 1 apart,
			// so no shorter decimal can read back as the same value.
			String s = Long.toString((long) d);
			return new Digits(stripTrailingZeros(s), s.length());
		}
		if (d < Double.MIN_NORMAL) {
			return shortestByBigDecimal(d, 1);
		}
		// JDK 19+ prints the shortest, nearest digits (they differ from Ruby's only for subnormals).
		// On older JDKs: at most one decimal of <= 15 significant digits reads back as a given normal
		// double (DBL_DIG), so a string that short is the shortest, else only 15-17 digits are tried.
		Digits jdk = parseJavaDouble(Double.toString(d));
		if (JDK_PRINTS_SHORTEST || jdk.digits.length() <= 15) {
			return jdk;
		}
		return shortestByBigDecimal(d, 15);
	}

	/**
	 * The first precision from {@code minPrecision} up at which the nearest (or else the other)
	 * neighbour of the exact value lies in d's rounding interval, i.e. reads back as d.
	 */
	private static Digits shortestByBigDecimal(double d, int minPrecision) {
		BigDecimal exact = new BigDecimal(d);
		BigDecimal high = exact.add(new BigDecimal(Math.ulp(d)).multiply(HALF));
		BigDecimal low = exact.subtract(new BigDecimal(d - Math.nextDown(d)).multiply(HALF));
		// A decimal exactly halfway reads back as the double with the even significand.
		boolean boundsInclusive = (Double.doubleToRawLongBits(d) & 1) == 0;
		for (int p = minPrecision; p < 17; p++) {
			BigDecimal nearest = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
			if (within(nearest, low, high, boundsInclusive)) {
				return digitsOf(nearest);
			}
			// Just above a power of two the interval below d is half as wide as the one above,
			// so the other p-digit neighbour may read back when the nearest does not.
			RoundingMode other = nearest.compareTo(exact) < 0 ? RoundingMode.CEILING : RoundingMode.FLOOR;
			BigDecimal farther = exact.round(new MathContext(p, other));
			if (within(farther, low, high, boundsInclusive)) {
				return digitsOf(farther);
			}
		}
		return digitsOf(exact.round(new MathContext(17, RoundingMode.HALF_EVEN)));
	}

	private static boolean within(BigDecimal candidate, BigDecimal low, BigDecimal high, boolean inclusive) {
		int vsLow = candidate.compareTo(low);
		int vsHigh = candidate.compareTo(high);
		return (vsLow > 0 || (inclusive && vsLow == 0)) && (vsHigh < 0 || (inclusive && vsHigh == 0));
	}

	private static Digits digitsOf(BigDecimal value) {
		BigDecimal stripped = value.stripTrailingZeros();
		String unscaled = stripped.unscaledValue().toString();
		return new Digits(unscaled, unscaled.length() - stripped.scale());
	}

	/** Parses {@code 123.45}, {@code 0.001} or {@code 1.2345E-7} as printed by {@code Double.toString}. */
	private static Digits parseJavaDouble(String s) {
		int e = s.indexOf('E');
		int exponent = e < 0 ? 0 : Integer.parseInt(s, e + 1, s.length(), 10);
		int end = e < 0 ? s.length() : e;
		StringBuilder digits = new StringBuilder(20);
		int decpt = 0;
		boolean beforePoint = true;
		for (int i = 0; i < end; i++) {
			char c = s.charAt(i);
			if (c == '.') {
				beforePoint = false;
			}
			else if (c == '0' && digits.length() == 0) {
				if (!beforePoint) {
					decpt--;
				}
			}
			else {
				digits.append(c);
				if (beforePoint) {
					decpt++;
				}
			}
		}
		return new Digits(stripTrailingZeros(digits.toString()), decpt + exponent);
	}

	private static String stripTrailingZeros(String s) {
		int end = s.length();
		while (end > 1 && s.charAt(end - 1) == '0') {
			end--;
		}
		return s.substring(0, end);
	}

	/** The layout of {@code flo_to_s} in Ruby's numeric.c. */
	private static void layout(String digits, int decpt, StringBuilder out) {
		int n = digits.length();
		if (decpt > 0 && (decpt < n || decpt <= 15)) {
			if (decpt < n) {
				out.append(digits, 0, decpt).append('.').append(digits, decpt, n);
			}
			else {
				out.append(digits);
				for (int i = n; i < decpt; i++) {
					out.append('0');
				}
				out.append(".0");
			}
		}
		else if (decpt <= 0 && decpt > -4) {
			out.append("0.");
			for (int i = decpt; i < 0; i++) {
				out.append('0');
			}
			out.append(digits);
		}
		else {
			out.append(digits.charAt(0)).append('.');
			if (n > 1) {
				out.append(digits, 1, n);
			}
			else {
				out.append('0');
			}
			int exp = decpt - 1;
			out.append('e').append(exp < 0 ? '-' : '+');
			int abs = Math.abs(exp);
			if (abs < 10) {
				out.append('0');
			}
			out.append(abs);
		}
	}
}
