package io.segmatch.segments.view;

import io.segmatch.access.control.Role;
import io.segmatch.access.view.Me;
import io.segmatch.activation.store.Destination;
import io.segmatch.segments.boundary.SegmentRequest;
import io.segmatch.segments.boundary.Segments;
import io.segmatch.segments.entity.Segment;
import io.segmatch.segments.evaluation.RuleRequest;
import io.segmatch.shared.error.SegmatchException;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.util.List;
import java.util.stream.Collectors;

import static io.segmatch.shared.json.Jsons.JSON;

/**
 * The destination switches on a segment's page (admins): Google Ads Customer Match with the
 * consent Google needs, and a Meta Custom Audience. Saving keeps the segment's rule, list and
 * audience as they are and changes only what the switches say.
 */
@Named
@RequestScoped
public class ActivationForm {

    static final List<String> CONSENT = List.of("GRANTED", "DENIED");

    @Inject
    Segments segments;

    private Segment segment;
    private JsonObject current = JsonValue.EMPTY_JSON_OBJECT;
    private boolean google;
    private String adUserData = "GRANTED";
    private String adPersonalization = "GRANTED";
    private boolean meta;
    private String message;

    /** Reads the segment named by the request's {@code id} (the page's query, or the form's hidden field). */
    @PostConstruct
    void load() {
        String id = FacesContext.getCurrentInstance().getExternalContext().getRequestParameterMap().get("id");
        try {
            segment = id == null ? null : segments.get(id);
        } catch (SegmatchException e) {
            segment = null;
        }
        if (segment == null || segment.getActivationJson() == null) {
            return;
        }
        current = JSON.createReader(new StringReader(segment.getActivationJson())).readObject();
        JsonObject ads = Destination.GOOGLE_ADS.settings(current);
        if (ads != null) {
            google = ads.get("enabled") == JsonValue.TRUE;
            if (ads.get("consent") instanceof JsonObject consent) {
                adUserData = consent.getString("adUserData", adUserData);
                adPersonalization = consent.getString("adPersonalization", adPersonalization);
            }
        }
        JsonObject m = Destination.META.settings(current);
        meta = m != null && m.get("enabled") == JsonValue.TRUE;
    }

    /** Saves the switches (admins only); the segment's rule and its list and audience stay as they are. */
    public String save() {
        if (segment == null || !Me.allowed(Role.Names.ADMIN)) {
            return null;
        }
        if (!CONSENT.contains(adUserData) || !CONSENT.contains(adPersonalization)) {
            message = "Choose granted or denied for both of Google's consent signals.";
            return null;
        }
        JsonObjectBuilder activation = JSON.createObjectBuilder();
        JsonObject ads = Destination.GOOGLE_ADS.settings(current);
        if (google || ads != null) {
            activation.add("googleAds", JSON.createObjectBuilder()
                    .add("enabled", google)
                    .add("userList", ads != null && ads.get("userList") instanceof JsonString s ? s : JsonValue.NULL)
                    .add("consent", JSON.createObjectBuilder().add("adUserData", adUserData)
                            .add("adPersonalization", adPersonalization)));
        }
        JsonObject m = Destination.META.settings(current);
        if (meta || m != null) {
            activation.add("meta", JSON.createObjectBuilder()
                    .add("enabled", meta)
                    .add("audienceId", m != null && m.get("audienceId") instanceof JsonString s ? s : JsonValue.NULL));
        }
        JsonObject rule;
        try (var reader = JSON.createReader(new StringReader(segment.getConditionsJson()))) {
            rule = JSON.createObjectBuilder().add("logic", segment.getLogic().name()).add("conditions", reader.readArray()).build();
        }
        try {
            segments.update(segment.getId(), new SegmentRequest(segment.getName(), segment.getDatasetId(), RuleRequest.of(rule),
                    activation.build()), true);
        } catch (SegmatchException e) {
            message = e.getMessage() + (e.errors().isEmpty() ? ""
                    : ": " + e.errors().stream().map(f -> f.field() + " " + f.message()).collect(Collectors.joining("; ")));
            return null;
        }
        return "/segments/view?faces-redirect=true&id=" + segment.getId() + "&activation=saved";
    }

    public boolean isGoogle() {
        return google;
    }

    public void setGoogle(boolean google) {
        this.google = google;
    }

    public String getAdUserData() {
        return adUserData;
    }

    public void setAdUserData(String adUserData) {
        this.adUserData = adUserData;
    }

    public String getAdPersonalization() {
        return adPersonalization;
    }

    public void setAdPersonalization(String adPersonalization) {
        this.adPersonalization = adPersonalization;
    }

    public boolean isMeta() {
        return meta;
    }

    public void setMeta(boolean meta) {
        this.meta = meta;
    }

    public String getMessage() {
        return message;
    }

    /** The Customer Match list's resource name, or null. */
    public String getGoogleList() {
        JsonObject ads = Destination.GOOGLE_ADS.settings(current);
        return ads != null && ads.get("userList") instanceof JsonString s ? s.getString() : null;
    }

    /** The Meta audience's id, or null. */
    public String getMetaAudience() {
        JsonObject m = Destination.META.settings(current);
        return m != null && m.get("audienceId") instanceof JsonString s ? s.getString() : null;
    }
}
