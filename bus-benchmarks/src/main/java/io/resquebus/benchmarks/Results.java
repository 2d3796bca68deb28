package io.resquebus.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Every sample of every figure, per contender, with the load average seen while it was taken. */
final class Results {

	/** What one row of the table measures. */
	record Figure(String name, String unit, boolean higherIsBetter) {
	}

	private final Map<String, Figure> figures = new LinkedHashMap<>();

	private final Map<String, Map<String, List<Double>>> samples = new LinkedHashMap<>();

	private final Map<String, List<Double>> loads = new LinkedHashMap<>();

	private final List<String> contenders;

	Results(List<String> contenders) {
		this.contenders = contenders;
	}

	void add(Figure figure, String contender, double value, double load) {
		this.figures.putIfAbsent(figure.name(), figure);
		this.samples.computeIfAbsent(figure.name(), (name) -> new LinkedHashMap<>())
			.computeIfAbsent(contender, (name) -> new ArrayList<>())
			.add(value);
		this.loads.computeIfAbsent(figure.name(), (name) -> new ArrayList<>()).add(load);
	}

	/**
	 * Adds a figure whose samples are, per contender, one figure's samples divided by another's taken in
	 * the same round (the i-th of each): a scaling read within rounds, so that the load drifting between
	 * rounds does not enter it. Nothing when either figure is missing or their sample counts differ.
	 */
	void addRatio(Figure ratio, String numerator, String denominator) {
		Map<String, List<Double>> tops = this.samples.getOrDefault(numerator, Map.of());
		Map<String, List<Double>> bottoms = this.samples.getOrDefault(denominator, Map.of());
		Map<String, List<Double>> ratios = new LinkedHashMap<>();
		for (String contender : this.contenders) {
			List<Double> top = tops.get(contender);
			List<Double> bottom = bottoms.get(contender);
			if (top != null && bottom != null && top.size() == bottom.size()) {
				List<Double> values = new ArrayList<>(top.size());
				for (int i = 0; i < top.size(); i++) {
					values.add(top.get(i) / bottom.get(i));
				}
				ratios.put(contender, values);
			}
		}
		if (!ratios.isEmpty()) {
			this.figures.putIfAbsent(ratio.name(), ratio);
			this.samples.put(ratio.name(), ratios);
			this.loads.put(ratio.name(), new ArrayList<>(this.loads.getOrDefault(numerator, List.of())));
		}
	}

	double median(String figure, String contender) {
		List<Double> values = this.samples.getOrDefault(figure, Map.of()).get(contender);
		return (values != null) ? median(values) : Double.NaN;
	}

	/** The table: medians, ratios of the bus (first contender) to each other, the median load. */
	String markdown() {
		String bus = this.contenders.get(0);
		StringBuilder table = new StringBuilder("| Figure |");
		this.contenders.forEach((name) -> table.append(' ').append(name).append(" |"));
		this.contenders.subList(1, this.contenders.size())
			.forEach((name) -> table.append(" bus ÷ ").append(name).append(" |"));
		table.append(" load avg |\n|---|");
		table.append("---:|".repeat(2 * this.contenders.size())).append('\n');
		for (Figure figure : this.figures.values()) {
			table.append("| ").append(figure.name()).append(" (").append(figure.unit())
				.append(figure.higherIsBetter() ? ", higher is better" : ", lower is better").append(") |");
			for (String contender : this.contenders) {
				table.append(' ').append(format(median(figure.name(), contender))).append(" |");
			}
			double own = median(figure.name(), bus);
			for (String contender : this.contenders.subList(1, this.contenders.size())) {
				table.append(' ').append(ratio(own, median(figure.name(), contender))).append(" |");
			}
			table.append(' ').append(String.format(Locale.ROOT, "%.2f", median(this.loads.getOrDefault(figure.name(), List.of()))))
				.append(" |\n");
		}
		return table.toString();
	}

	/** The same as plain data, samples included, for JSON. */
	List<Map<String, Object>> data() {
		String bus = this.contenders.get(0);
		List<Map<String, Object>> rows = new ArrayList<>();
		for (Figure figure : this.figures.values()) {
			Map<String, Object> row = new LinkedHashMap<>();
			row.put("figure", figure.name());
			row.put("unit", figure.unit());
			row.put("better", figure.higherIsBetter() ? "higher" : "lower");
			Map<String, Object> values = new LinkedHashMap<>();
			for (String contender : this.contenders) {
				List<Double> samples = this.samples.getOrDefault(figure.name(), Map.of()).get(contender);
				if (samples != null) {
					values.put(contender, Map.of("median", median(samples), "samples", samples));
				}
			}
			row.put("values", values);
			Map<String, Object> ratios = new LinkedHashMap<>();
			for (String contender : this.contenders.subList(1, this.contenders.size())) {
				double other = median(figure.name(), contender);
				if (!Double.isNaN(other) && other != 0) {
					ratios.put("bus / " + contender, median(figure.name(), bus) / other);
				}
			}
			row.put("ratios", ratios);
			row.put("loadAverage", median(this.loads.getOrDefault(figure.name(), List.of())));
			rows.add(row);
		}
		return rows;
	}

	private static String ratio(double own, double other) {
		if (Double.isNaN(own) || Double.isNaN(other) || other == 0) {
			return "–";
		}
		return String.format(Locale.ROOT, "%.2f×", own / other);
	}

	static String format(double value) {
		if (Double.isNaN(value)) {
			return "n/a";
		}
		double magnitude = Math.abs(value);
		String pattern = (magnitude >= 100) ? "%,.0f" : (magnitude >= 10) ? "%.1f" : "%.2f";
		return String.format(Locale.ROOT, pattern, value);
	}

	static double median(List<Double> values) {
		double[] sorted = values.stream().mapToDouble(Double::doubleValue).filter((v) -> !Double.isNaN(v)).toArray();
		if (sorted.length == 0) {
			return Double.NaN;
		}
		Arrays.sort(sorted);
		int middle = sorted.length / 2;
		return (sorted.length % 2 == 1) ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
	}

}
