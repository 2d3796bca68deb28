package io.resquebus.wire;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The one-pass event reader gives exactly what the default mapper gives, value for value and type
 * for type, key order included; where it cannot, it declines and the mapper reads the text.
 */
class EventJsonReaderTests {

	private final JsonMapper mapper = WireCodec.defaultMapper();

	private final WireCodec codec = new WireCodec();

	static List<String> readable() {
		List<String> json = new ArrayList<>();
		for (Map<String, Object> event : WireCodecFastPathTests.events()) {
			json.add(RubyJson.write(event));
		}
		json.addAll(List.of("{}", " { } ", "{\"a\":{},\"b\":[],\"c\":[{}],\"d\":[[]]}", "\n{\t\"a\" :\r1 , \"b\":[ 1 , 2 ] }\n",
				"{\"l19\":9223372036854775807,\"b19\":9223372036854775808,\"n19\":-9223372036854775808,"
						+ "\"nb19\":-9223372036854775809,\"b22\":1234567890123456789012,\"zero\":0,\"minusZero\":-0,\"intMax\":2147483647,\"over\":2147483648,\"intMin\":-2147483648,"
						+ "\"under\":-2147483649,\"eighteen\":999999999999999999,\"minus18\":-999999999999999999}",
				"{\"f\":1.5,\"mz\":-0.0,\"e\":1e5,\"E\":1E-5,\"p\":2.5e+3,\"max\":1.7976931348623157e308,"
						+ "\"tiny\":4.9e-324,\"inf\":1e400,\"z\":0.0,\"long\":0.1000000000000000055511151231257827}",
				"{\"s\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0041\\u00e9\\u00E9\\ud83d\\ude00\\udc00\"}",
				"{\"u\":\"é 漢字 😀 \u007f\",\"lone\":\"\ud800\"}", "{\"t\":true,\"f\":false,\"n\":null,\"l\":[true,false,null]}",
				"{\"\":\"\",\"k\":\"\"}", "{\"nested\":{\"a\":{\"b\":{\"c\":[1,[2,[3,{\"d\":null}]]]}}}}"));
		return json;
	}

	@Test
	void readsEveryEventAsTheDefaultMapperDoes() {
		List<String> all = readable();
		assertThat(all).hasSizeGreaterThan(40);
		for (String json : all) {
			Map<String, Object> fast = EventJsonReader.readObject(json);
			assertThat(fast).as(json).isNotNull();
			SameValues.assertSameValue(fast, this.mapper.readValue(json, Object.class), json);
		}
	}

	@Test
	void declinesWhatItDoesNotReadAsTheMapperDoes() {
		StringBuilder deep = new StringBuilder("{\"a\":");
		deep.append("[".repeat(EventJsonReader.MAX_DEPTH)).append("]".repeat(EventJsonReader.MAX_DEPTH)).append('}');
		String big = "{\"a\":\"" + "x".repeat(EventJsonReader.MAX_LENGTH) + "\"}";
		List<String> declined = List.of("{\"n\":1" + "0".repeat(120) + "}",
				"{\"a\":1,\"a\":2}", "{\"a\":null,\"a\":2}", "{\"a\":1,\"b\":null,\"a\":null}", "{\"f\":1." + "1".repeat(120) + "}",
				deep.toString(), big);
		for (String json : declined) {
			assertThat(EventJsonReader.readObject(json)).as(json).isNull();
			// The mapper reads them, and so does the codec, through it.
			Object jackson = this.mapper.readValue(json, Object.class);
			SameValues.assertSameValue(this.codec.readObject(json), jackson, json);
		}
	}

	@Test
	void declinesEveryTextTheMapperRefuses() {
		List<String> invalid = List.of("", " ", "[]", "1", "\"s\"", "null", "{", "}", "{\"a\"}", "{\"a\":}", "{\"a\":1,}",
				"{,}", "{\"a\":1}x", "{\"a\":1}{}", "{\"a\":01}", "{\"a\":-}", "{\"a\":1.}", "{\"a\":.5}", "{\"a\":1e}",
				"{\"a\":+1}", "{\"a\":tru}", "{\"a\":truex}", "{\"a\":nul}", "{\"a\":NaN}", "{\"a\":\"\\x\"}",
				"{\"a\":\"\\u12\"}", "{\"a\":\"\\u12G4\"}", "{\"a\":\"tab\there\"}", "{\"a\":\"open}", "{a:1}",
				"{'a':1}", "{\"a\":[1,]}", "{\"a\":[1 2]}", "{\"a\":1 \"b\":2}", "{\"a\":\"\\");
		for (String json : invalid) {
			assertThat(EventJsonReader.readObject(json)).as(json).isNull();
			Object read = catchThrowable(() -> {
				Object value = this.mapper.readValue(json, Object.class);
				if (!(value instanceof Map<?, ?>)) {
					throw new IllegalStateException("not an object");
				}
			});
			assertThat(read).as(json).isNotNull();
		}
	}

	@Test
	void aCodecWithItsOwnMapperReadsEventsWithIt() {
		JsonMapper bigDecimals = WireCodec.defaultMapperBuilder()
			.enable(tools.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
			.build();
		WireCodec custom = new WireCodec(bigDecimals);
		String job = this.codec.job(Map.of("f", 1.5));
		assertThat(this.codec.parseJob(job).event().get("f")).isEqualTo(1.5);
		assertThat(custom.parseJob(job).event().get("f")).isEqualTo(new java.math.BigDecimal("1.5"));
	}


}
