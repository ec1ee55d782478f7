package io.segmatch.fake.google;

import com.sun.net.httpserver.HttpExchange;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Supplier;

import static io.segmatch.fake.google.Exchanges.readJson;
import static io.segmatch.fake.google.Exchanges.requestId;
import static io.segmatch.fake.google.Exchanges.send;
import static io.segmatch.fake.google.GoogleErrors.failure;

/** The Data Manager API's audience members (synchronous ingest and remove, no partial failure), on the Google Ads lists. */
final class FakeDataManager {

    private final FakeOAuth oauth;
    private final Faults faults;
    private final Consumer<Supplier<JsonObject>> recorder;
    private final FakeGoogleAds ads;

    FakeDataManager(FakeOAuth oauth, Faults faults, Consumer<Supplier<JsonObject>> recorder, FakeGoogleAds ads) {
        this.oauth = oauth;
        this.faults = faults;
        this.recorder = recorder;
        this.ads = ads;
    }

    /** {@code audienceMembers:ingest} or {@code :remove}. */
    void handle(HttpExchange exchange, String method) throws IOException {
        if (!oauth.authorized(exchange)) {
            return;
        }
        JsonObject body = readJson(exchange);
        recorder.accept(() -> Json.createObjectBuilder().add("endpoint", "audienceMembers:" + method).add("body", body).build());
        if (faults.answer(exchange, method)) {
            return;
        }
        JsonArray destinations = body.getJsonArray("destinations");
        JsonArray members = body.getJsonArray("audienceMembers");
        if (destinations == null || destinations.size() != 1 || members == null || members.size() > 10_000) {
            send(exchange, 400, failure(400, "INVALID_ARGUMENT", "Request contains an invalid argument."));
            return;
        }
        if (!"HEX".equals(body.getString("encoding", ""))) {
            send(exchange, 400, failure(400, "INVALID_ARGUMENT", "encoding is required for user data."));
            return;
        }
        JsonObject destination = destinations.getJsonObject(0);
        String customer = destination.getJsonObject("operatingAccount").getString("accountId");
        String list = "customers/" + customer + "/userLists/" + destination.getString("productDestinationId");
        synchronized (ads) {
            UserList l = ads.list(list);
            if (l == null) {
                send(exchange, 404, failure(404, "NOT_FOUND", "Destination not found: " + list));
                return;
            }
            for (JsonValue m : members) {
                Set<String> person = new TreeSet<>();
                for (JsonValue v : m.asJsonObject().getJsonObject("userData").getJsonArray("userIdentifiers")) {
                    JsonObject id = v.asJsonObject();
                    if (id.containsKey("emailAddress")) {
                        person.add("hashedEmail=" + id.getString("emailAddress"));
                    } else if (id.containsKey("phoneNumber")) {
                        person.add("hashedPhoneNumber=" + id.getString("phoneNumber"));
                    } else if (id.containsKey("address")) {
                        JsonObject a = id.getJsonObject("address");
                        person.add("addressInfo=" + a.getString("givenName") + "/" + a.getString("familyName") + "/"
                                + a.getString("regionCode") + "/" + a.getString("postalCode"));
                    }
                }
                for (String one : person) {
                    if (!UserIdentifiers.HASH.matcher(one.substring(one.indexOf('=') + 1).split("/")[0]).matches()) {
                        send(exchange, 400, failure(400, "INVALID_ARGUMENT", "Invalid hex encoding: " + one));
                        return;
                    }
                }
                if (method.equals("ingest")) {
                    l.add(person);
                } else {
                    l.remove(person);
                }
            }
        }
        send(exchange, 200, Json.createObjectBuilder().add("requestId", requestId()).build());
    }
}
