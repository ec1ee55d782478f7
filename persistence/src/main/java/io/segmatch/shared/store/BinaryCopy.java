package io.segmatch.shared.store;

import java.io.DataOutputStream;
import java.io.IOException;

/** The framing of PostgreSQL's binary COPY format, for the stores that send rows in it. */
public final class BinaryCopy {

    private BinaryCopy() {
    }

    /** The header: the format's signature, no flags, no header extension. */
    public static void header(DataOutputStream out) throws IOException {
        out.write(new byte[] {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0});
        out.writeInt(0);
        out.writeInt(0);
    }

    /** The trailer: a field count of -1. */
    public static void trailer(DataOutputStream out) throws IOException {
        out.writeShort(-1);
    }
}
