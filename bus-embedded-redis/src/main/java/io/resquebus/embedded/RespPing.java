package io.resquebus.embedded;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.StringJoiner;

import org.jspecify.annotations.Nullable;

/**
 * A few raw RESP commands over a plain socket, so that readiness checks and shutdown need no Redis
 * client library.
 */
public final class RespPing {

	private RespPing() {
	}

	/** {@code true} when {@code PING} on host:port answers {@code +PONG} within one second. */
	public static boolean ping(String host, int port) {
		return ping(host, port, Duration.ofSeconds(1));
	}

	/** {@code true} when {@code PING} on host:port answers {@code +PONG} within the timeout. */
	public static boolean ping(String host, int port, Duration timeout) {
		try {
			return "PONG".equals(command(host, port, timeout, "PING"));
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * Sends one command and returns its reply as text: simple strings and integers as is, errors
	 * with their leading {@code -}, arrays as elements joined by newlines, nil as {@code null}.
	 */
	public static @Nullable String command(String host, int port, Duration timeout, String... args)
			throws IOException {
		int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(host, port), millis);
			socket.setSoTimeout(millis);
			OutputStream out = socket.getOutputStream();
			out.write(encode(args));
			out.flush();
			return read(socket.getInputStream());
		}
	}

	/**
	 * Sends commands one after another on one connection and returns the last one's reply (as
	 * {@link #command} does), for a command about what the connection did before, like {@code WAIT}.
	 */
	public static @Nullable String commands(String host, int port, Duration timeout, List<List<String>> commands)
			throws IOException {
		if (commands.isEmpty()) {
			throw new IllegalArgumentException("No command to send");
		}
		int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(host, port), millis);
			socket.setSoTimeout(millis);
			OutputStream out = socket.getOutputStream();
			InputStream in = socket.getInputStream();
			String reply = null;
			for (List<String> command : commands) {
				out.write(encode(command.toArray(String[]::new)));
				out.flush();
				reply = read(in);
			}
			return reply;
		}
	}

	private static byte[] encode(String... args) {
		ByteArrayOutputStream buffer = new ByteArrayOutputStream();
		buffer.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.UTF_8));
		for (String arg : args) {
			byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
			buffer.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.UTF_8));
			buffer.writeBytes(bytes);
			buffer.writeBytes(new byte[] {'\r', '\n'});
		}
		return buffer.toByteArray();
	}

	private static @Nullable String read(InputStream in) throws IOException {
		String line = readLine(in);
		if (line.isEmpty()) {
			throw new IOException("Empty RESP reply");
		}
		String rest = line.substring(1);
		switch (line.charAt(0)) {
			case '+', ':':
				return rest;
			case '-':
				return line;
			case '$': {
				int length = Integer.parseInt(rest);
				if (length < 0) {
					return null;
				}
				byte[] bytes = in.readNBytes(length);
				if (bytes.length < length) {
					throw new EOFException("Truncated RESP bulk string");
				}
				readLine(in);
				return new String(bytes, StandardCharsets.UTF_8);
			}
			case '*': {
				int count = Integer.parseInt(rest);
				if (count < 0) {
					return null;
				}
				StringJoiner joined = new StringJoiner("\n");
				for (int i = 0; i < count; i++) {
					joined.add(String.valueOf(read(in)));
				}
				return joined.toString();
			}
			default:
				throw new IOException("Unexpected RESP reply: " + line);
		}
	}

	private static String readLine(InputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int b;
		while ((b = in.read()) != '\n') {
			if (b < 0) {
				throw new EOFException("Connection closed before a full RESP reply");
			}
			line.write(b);
		}
		byte[] bytes = line.toByteArray();
		int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
		return new String(bytes, 0, length, StandardCharsets.UTF_8);
	}

}
