package dev.deploypipeline.deploy.egress;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/** A parsed request line and headers, as a client sends them to a proxy. */
record RequestHead(String method, String target, String version, List<Header> headers) {

    record Header(String name, String value) {}

    private static final String TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
    private static final Pattern REQUEST_LINE = Pattern.compile("(" + TOKEN + ") ([\\x21-\\x7e]+) (HTTP/1\\.[01])");
    private static final Pattern HEADER_NAME = Pattern.compile(TOKEN);
    private static final Pattern FIELD_VALUE = Pattern.compile("[\\t\\x20-\\x7e\\x80-\\xff]*");

    static RequestHead parse(String text) throws MalformedRequestException {
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\r?\n", -1)));
        while (!lines.isEmpty() && lines.get(0).isEmpty()) {
            lines.remove(0); // blank lines before a request line are to be ignored
        }
        if (lines.isEmpty()) {
            throw new MalformedRequestException("the request has no request line");
        }
        var requestLine = REQUEST_LINE.matcher(lines.get(0));
        if (!requestLine.matches()) {
            throw new MalformedRequestException("the request line is not METHOD target HTTP/1.x");
        }
        List<Header> headers = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isEmpty()) {
                break;
            }
            headers.add(header(line));
        }
        return new RequestHead(requestLine.group(1), requestLine.group(2), requestLine.group(3), List.copyOf(headers));
    }

    private static Header header(String line) throws MalformedRequestException {
        int colon = line.indexOf(':');
        String name = colon < 0 ? "" : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1).strip();
        if (!HEADER_NAME.matcher(name).matches() || !FIELD_VALUE.matcher(value).matches()) {
            throw new MalformedRequestException("a header line is not name: value");
        }
        return new Header(name, value);
    }
}
