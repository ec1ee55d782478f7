package io.segmatch.shared.view;

import java.util.ArrayList;
import java.util.List;

import static io.segmatch.shared.json.Jsons.JSON;

/**
 * The arguments of the Ajax call Faces renders for an {@code <f:ajax>}:
 * {@code mojarra.ab(this,event,'EVENT',EXECUTE,RENDER,{"delay":300,"onevent":name})}, optionally
 * followed by {@code ;return false}. Parsed, so that a script of the console's own makes the
 * same call without any inline script; anything else is refused.
 */
record AjaxCall(String event, String execute, String render, Integer delay, String onevent, boolean preventDefault) {

    private static final String PREFIX = "mojarra.ab(this,event,";

    static AjaxCall parse(String script, String where) {
        String s = script.strip();
        boolean preventDefault = false;
        if (s.endsWith(";return false") || s.endsWith("; return false")) {
            preventDefault = true;
            s = s.substring(0, s.lastIndexOf(';')).strip();
        }
        if (s.endsWith(";")) {
            s = s.substring(0, s.length() - 1);
        }
        if (!s.startsWith(PREFIX) || !s.endsWith(")")) {
            throw new IllegalStateException("inline script in " + where + " would be blocked by the Content Security Policy: "
                    + script + " (use data attributes and resources/js instead)");
        }
        List<String> args = split(s.substring(PREFIX.length(), s.length() - 1));
        if (args.isEmpty() || args.size() > 4) {
            throw new IllegalStateException("unexpected Ajax call in " + where + ": " + script);
        }
        String event = text(args.get(0));
        String execute = args.size() > 1 ? text(args.get(1)) : null;
        String render = args.size() > 2 ? text(args.get(2)) : null;
        Integer delay = null;
        String onevent = null;
        if (args.size() > 3) {
            String options = args.get(3).strip();
            if (!options.startsWith("{") || !options.endsWith("}")) {
                throw new IllegalStateException("unexpected Ajax options in " + where + ": " + options);
            }
            for (String pair : split(options.substring(1, options.length() - 1))) {
                int colon = pair.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String key = text(pair.substring(0, colon).strip());
                String value = pair.substring(colon + 1).strip();
                switch (key) {
                    case "delay" -> delay = value.equals("'none'") || value.equals("\"none\"") ? null : Integer.valueOf(text(value));
                    case "onevent" -> {
                        if (!value.matches("[A-Za-z_$][A-Za-z0-9_$.]*")) {
                            throw new IllegalStateException("onevent must name a function in " + where + ": " + value);
                        }
                        onevent = value;
                    }
                    default -> throw new IllegalStateException("unsupported Ajax option " + key + " in " + where);
                }
            }
        }
        return new AjaxCall(event, execute, render, delay, onevent, preventDefault);
    }

    String json() {
        var b = JSON.createObjectBuilder().add("event", event);
        if (execute != null) {
            b.add("execute", execute);
        }
        if (render != null) {
            b.add("render", render);
        }
        if (delay != null) {
            b.add("delay", delay);
        }
        if (onevent != null) {
            b.add("onevent", onevent);
        }
        if (preventDefault) {
            b.add("preventDefault", true);
        }
        return b.build().toString();
    }

    /** A quoted string's content, or null for Mojarra's {@code 0} (none). */
    private static String text(String arg) {
        String a = arg.strip();
        if (a.equals("0") || a.equals("null") || a.isEmpty()) {
            return null;
        }
        if ((a.startsWith("'") && a.endsWith("'")) || (a.startsWith("\"") && a.endsWith("\""))) {
            return a.substring(1, a.length() - 1).replace("\\'", "'").replace("\\\"", "\"");
        }
        return a;
    }

    /** Splits at top-level commas (outside quotes and braces). */
    private static List<String> split(String s) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        char quote = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '{' || c == '(') {
                depth++;
            } else if (c == '}' || c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(s.substring(start, i));
                start = i + 1;
            }
        }
        if (start < s.length()) {
            parts.add(s.substring(start));
        }
        return parts;
    }
}
