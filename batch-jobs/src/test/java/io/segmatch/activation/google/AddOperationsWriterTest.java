package io.segmatch.activation.google;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The hand-written addOperations body is the JSON that JSON-B makes of the same records. */
class AddOperationsWriterTest {

    private final Jsonb jsonb = JsonbBuilder.create(new JsonbConfig().withNullValues(false));

    @Test
    void writesWhatJsonBWritesOfTheRecordsForRandomBatches() {
        Random random = new Random(20261201);
        for (int attempt = 0; attempt < 500; attempt++) {
            List<GoogleAds.Operation> operations = new ArrayList<>();
            int n = random.nextInt(40);
            for (int i = 0; i < n; i++) {
                GoogleAds.UserData data = userData(random);
                operations.add(random.nextBoolean() ? new GoogleAds.Operation(data, null) : new GoogleAds.Operation(null, data));
            }
            Boolean partial = random.nextInt(3) == 0 ? null : random.nextBoolean();
            GoogleAds.AddOperationsRequest request = new GoogleAds.AddOperationsRequest(operations, partial);

            JsonObject written = parse(jsonb.toJson(request));
            // the records' own JSON: a list of them is written by reflection (the writer is on the request only)
            JsonArray reflected = Json.createReader(new StringReader(jsonb.toJson(operations))).readArray();
            assertEquals(reflected, written.getJsonArray("operations"), "attempt " + attempt);
            assertEquals(partial == null, !written.containsKey("enablePartialFailure"), written.toString());
            if (partial != null) {
                assertEquals(partial, written.getBoolean("enablePartialFailure"));
            }
            assertEquals(partial == null ? 1 : 2, written.size(), written.toString());
        }
    }

    @Test
    void anEmailIsOneIdentifierWithOneField() {
        String json = jsonb.toJson(new GoogleAds.AddOperationsRequest(List.of(new GoogleAds.Operation(
                new GoogleAds.UserData(List.of(new GoogleAds.UserIdentifier("ab", null, null))), null)), true));
        assertEquals("{\"operations\":[{\"create\":{\"userIdentifiers\":[{\"hashedEmail\":\"ab\"}]}}],"
                + "\"enablePartialFailure\":true}", json);
        assertFalse(json.contains("null"));
    }

    private static GoogleAds.UserData userData(Random random) {
        if (random.nextInt(20) == 0) {
            return new GoogleAds.UserData(null);
        }
        List<GoogleAds.UserIdentifier> ids = new ArrayList<>();
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
            switch (random.nextInt(3)) {
                case 0 -> ids.add(new GoogleAds.UserIdentifier(hex(random), null, null));
                case 1 -> ids.add(new GoogleAds.UserIdentifier(null, hex(random), null));
                default -> ids.add(new GoogleAds.UserIdentifier(null, null, new GoogleAds.AddressInfo(
                        maybe(random, hex(random)), maybe(random, hex(random)), maybe(random, "DE"),
                        maybe(random, "10115 \"Mitte\"\\ ü"))));
            }
        }
        return new GoogleAds.UserData(ids);
    }

    private static String maybe(Random random, String value) {
        return random.nextInt(4) == 0 ? null : value;
    }

    private static String hex(Random random) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 64; i++) {
            s.append(Character.forDigit(random.nextInt(16), 16));
        }
        return s.toString();
    }

    private static JsonObject parse(String json) {
        return Json.createReader(new StringReader(json)).readObject();
    }
}
