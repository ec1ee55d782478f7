package io.segmatch.fake.google;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The people of a Customer Match list, held compactly. The benchmark's lists hold eleven million
 * people in the benchmark's own JVM, on the machine whose database it measures: as strings
 * (each person's key, plus each identifier again for the index) they took about 570 bytes a
 * person, and the JVM grew to 8.4 GB, memory the operating system then lacked for the
 * database's pages. Packed, a person with two hashed identifiers takes about 300.
 *
 * <p>A person is their key ({@link UserList#key}: identifiers {@code kind=value},
 * sorted, joined by {@code |}) packed into bytes, each identifier as a tag and its value: a
 * lower-case SHA-256 hex value as its 32 bytes, the rest as UTF-8. Packing is one-to-one (a
 * value in any other form is kept as text), so two keys are equal exactly when their packed
 * bytes are, and {@link #unpack} gives the key back. An index from each identifier (a view of
 * the person's bytes, not a copy) to the people who have it serves removals: Google removes
 * everyone matched by any identifier sent. Not thread-safe (the list's owner synchronizes).
 */
final class PackedPeople {

    private static final byte TEXT = 0;
    private static final byte EMAIL = 1;
    private static final byte PHONE = 2;
    private static final byte ADDRESS = 3;
    private static final String EMAIL_PREFIX = "hashedEmail=";
    private static final String PHONE_PREFIX = "hashedPhoneNumber=";
    private static final String ADDRESS_PREFIX = "addressInfo=";
    private static final HexFormat HEX = HexFormat.of();

    private final Set<Bytes> people = new HashSet<>();
    /** Each identifier → the person (a {@link Bytes}) or people (a Set) who have it. */
    private final Map<Bytes, Object> byIdentifier = new HashMap<>();

    int size() {
        return people.size();
    }

    /** Every person's key, unpacked. */
    Set<String> keys() {
        Set<String> keys = new HashSet<>(people.size() * 2);
        for (Bytes person : people) {
            keys.add(unpack(person.a));
        }
        return keys;
    }

    /** Adds a person ({@link #pack}ed); false when they were in the list already. */
    boolean add(byte[] packed) {
        Bytes person = new Bytes(packed, 0, packed.length);
        if (!people.add(person)) {
            return false;
        }
        for (Bytes id : identifiers(person)) {
            byIdentifier.merge(id, person, (had, one) -> {
                if (had instanceof Bytes single) {
                    Set<Bytes> set = new HashSet<>(4);
                    set.add(single);
                    set.add(person);
                    return set;
                }
                @SuppressWarnings("unchecked")
                Set<Bytes> set = (Set<Bytes>) had;
                set.add(person);
                return set;
            });
        }
        return true;
    }

    /**
     * Removes everyone who has any of the identifiers of the person sent ({@link #pack}ed), as
     * Google does; true when someone was removed. A person sent without identifiers matches nobody.
     */
    boolean removeMatching(byte[] packed) {
        boolean removed = false;
        for (Bytes id : identifiers(new Bytes(packed, 0, packed.length))) {
            Object matched = byIdentifier.remove(id);
            if (matched == null) {
                continue;
            }
            @SuppressWarnings("unchecked")
            Collection<Bytes> others = matched instanceof Bytes single ? List.of(single) : (Set<Bytes>) matched;
            for (Bytes other : others) {
                people.remove(other);
                removed = true;
                for (Bytes otherId : identifiers(other)) {
                    Object rest = byIdentifier.get(otherId);
                    if (rest instanceof Set<?> set) {
                        if (set.remove(other) && set.isEmpty()) {
                            byIdentifier.remove(otherId);
                        }
                    } else if (other.equals(rest)) {
                        byIdentifier.remove(otherId);
                    }
                }
            }
        }
        return removed;
    }

    void clear() {
        people.clear();
        byIdentifier.clear();
    }

    /** A key ({@code kind=value|kind=value…}, empty for a person without identifiers) packed. */
    static byte[] pack(String key) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(72);
        if (!key.isEmpty()) {
            for (String id : key.split("\\|", -1)) {
                out.writeBytes(packOne(id));
            }
        }
        return out.toByteArray();
    }

    /** The key a {@link #pack}ed person came from. */
    static String unpack(byte[] packed) {
        StringBuilder key = new StringBuilder(packed.length * 2 + 40);
        int at = 0;
        while (at < packed.length) {
            if (at > 0) {
                key.append('|');
            }
            int end = end(packed, at);
            switch (packed[at]) {
                case EMAIL -> HEX.formatHex(key.append(EMAIL_PREFIX), packed, at + 1, at + 33);
                case PHONE -> HEX.formatHex(key.append(PHONE_PREFIX), packed, at + 1, at + 33);
                case ADDRESS -> {
                    HEX.formatHex(key.append(ADDRESS_PREFIX), packed, at + 1, at + 33);
                    HEX.formatHex(key.append('/'), packed, at + 33, at + 65);
                    key.append('/').append(new String(packed, at + 66, packed[at + 65] & 0xff, StandardCharsets.UTF_8));
                }
                default -> key.append(new String(packed, at + 3, end - at - 3, StandardCharsets.UTF_8));
            }
            at = end;
        }
        return key.toString();
    }

    private static byte[] packOne(String id) {
        if (id.startsWith(EMAIL_PREFIX) && lowerHex(id, EMAIL_PREFIX.length()) && id.length() == EMAIL_PREFIX.length() + 64) {
            return tagged(EMAIL, id, EMAIL_PREFIX.length());
        }
        if (id.startsWith(PHONE_PREFIX) && lowerHex(id, PHONE_PREFIX.length()) && id.length() == PHONE_PREFIX.length() + 64) {
            return tagged(PHONE, id, PHONE_PREFIX.length());
        }
        int p = ADDRESS_PREFIX.length();
        if (id.startsWith(ADDRESS_PREFIX) && id.length() >= p + 130 && lowerHex(id, p) && id.charAt(p + 64) == '/'
                && lowerHex(id, p + 65) && id.charAt(p + 129) == '/') {
            byte[] rest = id.substring(p + 130).getBytes(StandardCharsets.UTF_8);
            if (rest.length <= 255) {
                byte[] out = new byte[1 + 64 + 1 + rest.length];
                out[0] = ADDRESS;
                System.arraycopy(HEX.parseHex(id, p, p + 64), 0, out, 1, 32);
                System.arraycopy(HEX.parseHex(id, p + 65, p + 129), 0, out, 33, 32);
                out[65] = (byte) rest.length;
                System.arraycopy(rest, 0, out, 66, rest.length);
                return out;
            }
        }
        byte[] text = id.getBytes(StandardCharsets.UTF_8);
        if (text.length > 0xffff) {
            throw new IllegalArgumentException("an identifier of " + text.length + " bytes");
        }
        byte[] out = new byte[3 + text.length];
        out[0] = TEXT;
        out[1] = (byte) (text.length >>> 8);
        out[2] = (byte) text.length;
        System.arraycopy(text, 0, out, 3, text.length);
        return out;
    }

    private static byte[] tagged(byte tag, String id, int from) {
        byte[] out = new byte[33];
        out[0] = tag;
        System.arraycopy(HEX.parseHex(id, from, from + 64), 0, out, 1, 32);
        return out;
    }

    /** Where the packed identifier starting at {@code at} ends. */
    private static int end(byte[] packed, int at) {
        return switch (packed[at]) {
            case EMAIL, PHONE -> at + 33;
            case ADDRESS -> at + 66 + (packed[at + 65] & 0xff);
            default -> at + 3 + (((packed[at + 1] & 0xff) << 8) | (packed[at + 2] & 0xff));
        };
    }

    /** The person's identifiers, as views of their bytes. */
    private static List<Bytes> identifiers(Bytes person) {
        List<Bytes> ids = new ArrayList<>(3);
        int at = person.from;
        while (at < person.to) {
            int end = end(person.a, at);
            ids.add(new Bytes(person.a, at, end));
            at = end;
        }
        return ids;
    }

    private static boolean lowerHex(String s, int from) {
        if (s.length() < from + 64) {
            return false;
        }
        for (int i = from; i < from + 64; i++) {
            char ch = s.charAt(i);
            if (!(ch >= '0' && ch <= '9' || ch >= 'a' && ch <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /** A range of a byte array, compared by content. */
    static final class Bytes {
        final byte[] a;
        final int from;
        final int to;
        private final int hash;

        Bytes(byte[] a, int from, int to) {
            this.a = a;
            this.from = from;
            this.to = to;
            int h = 1;
            for (int i = from; i < to; i++) {
                h = 31 * h + a[i];
            }
            this.hash = h;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bytes b && b.hash == hash && Arrays.equals(a, from, to, b.a, b.from, b.to);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
