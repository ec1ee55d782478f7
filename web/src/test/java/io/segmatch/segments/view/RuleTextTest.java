package io.segmatch.segments.view;

import io.segmatch.datasets.entity.ColumnType;
import io.segmatch.segments.evaluation.RuleRequest;
import jakarta.json.Json;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The segment page's rule as a sentence. */
class RuleTextTest {

    static final Map<String, ColumnType> TYPES = Map.of("country", ColumnType.STRING, "plan", ColumnType.STRING,
            "lifetime_value", ColumnType.NUMBER, "signup", ColumnType.DATE, "vip", ColumnType.BOOLEAN);

    static String text(String json) {
        try (var reader = Json.createReader(new StringReader(json))) {
            return RuleText.of(RuleRequest.of(reader.readObject()), TYPES, id -> id.equals("s1") ? "High value" : null);
        }
    }

    @Test
    void groupsReadInParentheses() {
        assertEquals("(country is DE and plan is pro) or (country is AT and lifetime_value is greater than 500)",
                text("{\"logic\": \"OR\", \"conditions\": ["
                        + "{\"logic\": \"AND\", \"conditions\": [{\"field\": \"country\", \"operator\": \"eq\", \"value\": \"DE\"},"
                        + "{\"field\": \"plan\", \"operator\": \"eq\", \"value\": \"pro\"}]},"
                        + "{\"logic\": \"AND\", \"conditions\": [{\"field\": \"country\", \"operator\": \"eq\", \"value\": \"AT\"},"
                        + "{\"field\": \"lifetime_value\", \"operator\": \"gt\", \"value\": 500}]}]}"));
    }

    @Test
    void everyShapeOfValueAndMemberships() {
        assertEquals("plan is one of pro, team and lifetime_value is between 10 and 20 and signup is in the last 7 days "
                        + "and vip is set and vip is true and member of “High value” and not a member of segment s2",
                text("{\"conditions\": [{\"field\": \"plan\", \"operator\": \"in\", \"value\": [\"pro\", \"team\"]},"
                        + "{\"field\": \"lifetime_value\", \"operator\": \"between\", \"value\": [10, 20]},"
                        + "{\"field\": \"signup\", \"operator\": \"in_last_days\", \"value\": 7},"
                        + "{\"field\": \"vip\", \"operator\": \"is_set\"}, {\"field\": \"vip\", \"operator\": \"eq\", \"value\": true},"
                        + "{\"segment\": \"s1\", \"operator\": \"in\"}, {\"segment\": \"s2\", \"operator\": \"not_in\"}]}"));
        assertEquals("signup is after 2026-01-01", text("{\"conditions\": [{\"logic\": \"OR\", \"conditions\": "
                + "[{\"field\": \"signup\", \"operator\": \"gt\", \"value\": \"2026-01-01\"}]}]}"), "a group of one needs no parentheses");
    }
}
