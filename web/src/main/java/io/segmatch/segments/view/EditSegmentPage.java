package io.segmatch.segments.view;

import io.segmatch.datasets.boundary.Datasets;
import io.segmatch.datasets.entity.ColumnType;
import io.segmatch.datasets.entity.Dataset;
import io.segmatch.datasets.entity.DatasetColumn;
import io.segmatch.segments.boundary.Segments;
import io.segmatch.segments.entity.Logic;
import io.segmatch.segments.entity.Operator;
import io.segmatch.segments.entity.Operator.Shape;
import io.segmatch.segments.entity.Segment;
import io.segmatch.shared.control.SegmatchException;
import io.segmatch.shared.control.SegmatchException.FieldError;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.model.SelectItem;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.io.Serializable;
import java.io.StringReader;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.segmatch.shared.json.Jsons.JSON;

/**
 * The segment builder ({@code /segments/edit.xhtml}, {@code ?id=…} to edit): name, dataset,
 * AND/OR, condition rows whose operators and value inputs follow the chosen field's type, a
 * live preview refreshed as the user edits, and Save. The page builds the same JSON body the
 * API takes, so the boundary's validation and messages are the API's, shown next to the
 * condition at fault.
 */
@Named
@ViewScoped
public class EditSegmentPage implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final Pattern CONDITION_FIELD = Pattern.compile("conditions\\[(\\d+)]\\.?(.*)");
    private static final Pattern NUMBER = Pattern.compile("-?(0|[1-9]\\d*)(\\.\\d+)?([eE][-+]?\\d+)?");

    @Inject
    Segments segments;
    @Inject
    Datasets datasets;

    private String id;
    private boolean loaded;
    private String name;
    private String datasetId;
    private String logic = Logic.AND.name();
    private boolean countAll;
    private String activationJson;
    private final List<Row> rows = new ArrayList<>();
    /** The chosen dataset's columns and their types (api names), in the dataset's order. */
    private final Map<String, String> columns = new LinkedHashMap<>();
    private String nameError;
    private String datasetError;
    private String formError;
    private PreviewView preview;
    private String previewNote;
    private List<DatasetChoice> datasetChoices = List.of();

    /** A dataset the builder offers. */
    public record DatasetChoice(String id, String name) implements Serializable {
    }

    /** One condition row as the user edits it: everything is text until the boundary reads it. */
    public static final class Row implements Serializable {
        private static final long serialVersionUID = 1L;
        private String field;
        private String operator;
        private String value;
        private String low;
        private String high;
        private String list;
        private String error;

        public String getField() {
            return field;
        }

        public void setField(String field) {
            this.field = field;
        }

        public String getOperator() {
            return operator;
        }

        public void setOperator(String operator) {
            this.operator = operator;
        }

        public String getValue() {
            return value;
        }

        public void setValue(String value) {
            this.value = value;
        }

        public String getLow() {
            return low;
        }

        public void setLow(String low) {
            this.low = low;
        }

        public String getHigh() {
            return high;
        }

        public void setHigh(String high) {
            this.high = high;
        }

        public String getList() {
            return list;
        }

        public void setList(String list) {
            this.list = list;
        }

        public String getError() {
            return error;
        }
    }

    /** What the preview panel shows. */
    public record PreviewView(long count, long scanned, long totalRows, List<String> columns, List<SampleRow> sample)
            implements Serializable {

        /** "matching rows among the first 10,000 of 1,000,000 rows", or "… among all 6 rows". */
        public String scope() {
            String what = (count == 1 ? "matching row" : "matching rows");
            return scanned >= totalRows
                    ? what + " among all " + number(totalRows) + (totalRows == 1 ? " row" : " rows")
                    : what + " among the first " + number(scanned) + " of " + number(totalRows) + " rows";
        }

        private static String number(long n) {
            return String.format(java.util.Locale.ROOT, "%,d", n);
        }
    }

    public record SampleRow(String key, List<String> values) implements Serializable {
    }

    /** Loads the segment named by {@code ?id=} (or starts a new one) on the first request of the view. */
    public void load() throws IOException {
        if (loaded) {
            return;
        }
        loaded = true;
        List<Dataset> all = datasets.list();
        datasetChoices = all.stream().map(d -> new DatasetChoice(d.getId(), d.getName())).toList();
        if (id == null || id.isBlank()) {
            id = null;
            if (all.size() == 1) {
                datasetId = all.get(0).getId();
            }
            String wanted = FacesContext.getCurrentInstance().getExternalContext().getRequestParameterMap().get("dataset");
            if (wanted != null && all.stream().anyMatch(d -> d.getId().equals(wanted))) {
                datasetId = wanted;
            }
            loadColumns();
            rows.add(new Row());
            return;
        }
        Segment segment;
        try {
            segment = segments.get(id);
        } catch (SegmatchException e) {
            FacesContext.getCurrentInstance().getExternalContext().responseSendError(404, "no such segment");
            FacesContext.getCurrentInstance().responseComplete();
            return;
        }
        name = segment.getName();
        datasetId = segment.getDatasetId();
        logic = segment.getLogic().name();
        activationJson = segment.getActivationJson();
        loadColumns();
        try (var reader = JSON.createReader(new StringReader(segment.getConditionsJson()))) {
            for (JsonValue c : reader.readArray()) {
                rows.add(row(c.asJsonObject()));
            }
        }
        refresh();
    }

    private static Row row(JsonObject c) {
        Row row = new Row();
        row.field = c.getString("field");
        row.operator = c.getString("operator");
        JsonValue value = c.get("value");
        Shape shape = Operator.fromApiName(row.operator).map(op -> op.shape).orElse(Shape.ONE);
        if (value == null || value == JsonValue.NULL) {
            return row;
        }
        switch (shape) {
            case LIST -> {
                List<String> items = new ArrayList<>();
                if (value instanceof JsonArray a) {
                    a.forEach(v -> items.add(text(v)));
                }
                row.list = String.join("\n", items);
            }
            case RANGE -> {
                if (value instanceof JsonArray a && a.size() == 2) {
                    row.low = text(a.get(0));
                    row.high = text(a.get(1));
                }
            }
            default -> row.value = text(value);
        }
        return row;
    }

    private static String text(JsonValue v) {
        return v instanceof JsonString s ? s.getString() : v.toString();
    }

    private void loadColumns() {
        columns.clear();
        if (datasetId == null) {
            return;
        }
        try {
            for (DatasetColumn c : datasets.get(datasetId).getColumns()) {
                columns.put(c.getName(), c.getType().apiName());
            }
        } catch (SegmatchException e) {
            datasetId = null;
        }
    }

    // ---- structural edits (the whole builder is re-rendered) ----

    /** Another dataset: its columns, and one empty condition. */
    public void datasetChanged() {
        loadColumns();
        rows.clear();
        rows.add(new Row());
        refresh();
    }

    /** Another field: keeps the operator if the new type takes it, else the type's first one. */
    public void fieldChanged(Row row) {
        ColumnType type = type(row);
        Operator current = Operator.fromApiName(row.operator).orElse(null);
        if (type != null && (current == null || !current.takes(type))) {
            row.operator = Operator.forType(type).get(0).apiName();
            row.value = row.low = row.high = row.list = null;
        }
        refresh();
    }

    /** Another operator: moves the value over when the shape changes between one value and a list. */
    public void operatorChanged(Row row) {
        Shape shape = shape(row);
        if (shape == Shape.LIST && blank(row.list) && !blank(row.value)) {
            row.list = row.value;
        } else if (shape != Shape.LIST && blank(row.value) && !blank(row.list)) {
            row.value = row.list.lines().findFirst().orElse(null);
        }
        refresh();
    }

    public void addCondition() {
        if (rows.size() < io.segmatch.segments.entity.Rule.MAX_CONDITIONS) {
            rows.add(new Row());
        }
        refresh();
    }

    public void removeCondition(Row row) {
        rows.remove(row);
        if (rows.isEmpty()) {
            rows.add(new Row());
        }
        refresh();
    }

    // ---- preview and save ----

    /**
     * Runs the preview for the rule as it stands: when a condition is still incomplete the
     * panel says which; invalid conditions get their message next to them.
     */
    public void refresh() {
        clearErrors();
        preview = null;
        previewNote = null;
        if (datasetId == null) {
            previewNote = "Choose a dataset to see how many of its rows match.";
            return;
        }
        for (int i = 0; i < rows.size(); i++) {
            String missing = incomplete(rows.get(i));
            if (missing != null) {
                previewNote = "Complete condition " + (i + 1) + " (" + missing + ") to see the count.";
                return;
            }
        }
        JsonObjectBuilder body = ruleBody().add("limit", countAll ? 0 : Segments.DEFAULT_PREVIEW_ROWS);
        try {
            var result = segments.preview(body.build());
            List<String> names = result.dataset().getColumns().stream().map(DatasetColumn::getName)
                    .filter(n -> !n.equals(result.dataset().getKeyColumn())).toList();
            List<SampleRow> sample = result.result().sample().stream()
                    .map(r -> new SampleRow(r.key(), names.stream().map(n -> r.values().getOrDefault(n, "")).toList()))
                    .toList();
            preview = new PreviewView(result.result().count(), result.result().scanned(),
                    result.dataset().getRowCount(), names, sample);
        } catch (SegmatchException e) {
            showErrors(e);
            previewNote = "Correct the conditions marked below to see the count.";
        }
    }

    /** Saves the segment and returns to the list; on invalid input the messages appear where they belong. */
    public String save() {
        clearErrors();
        JsonObjectBuilder body = ruleBody().add("name", name == null ? "" : name);
        if (activationJson != null) {
            try (var reader = JSON.createReader(new StringReader(activationJson))) {
                body.add("activation", reader.readObject());
            }
        }
        try {
            Segment saved = id == null ? segments.create(body.build()) : segments.update(id, body.build());
            FacesContext context = FacesContext.getCurrentInstance();
            context.getExternalContext().getFlash().put("saved", "Saved segment “" + saved.getName() + "”.");
            return "/segments/index?faces-redirect=true";
        } catch (SegmatchException e) {
            showErrors(e);
            if (formError == null) {
                formError = "The segment was not saved: correct the fields marked below.";
            }
            return null;
        }
    }

    /** Deletes the segment being edited and returns to the list. */
    public String delete() {
        if (id != null) {
            try {
                segments.delete(id);
            } catch (SegmatchException e) {
                formError = e.getMessage();
                return null;
            }
            FacesContext.getCurrentInstance().getExternalContext().getFlash().put("saved", "Deleted segment “" + name + "”.");
        }
        return "/segments/index?faces-redirect=true";
    }

    /** The rule in the API's JSON form: datasetId, logic and the conditions. */
    private JsonObjectBuilder ruleBody() {
        JsonArrayBuilder conditions = JSON.createArrayBuilder();
        for (Row row : rows) {
            JsonObjectBuilder c = JSON.createObjectBuilder()
                    .add("field", row.field == null ? "" : row.field)
                    .add("operator", row.operator == null ? "" : row.operator);
            ColumnType type = type(row);
            switch (shape(row)) {
                case ONE -> c.add("value", typed(type, row.value));
                case TEXT -> c.add("value", row.value == null ? "" : row.value);
                case LIST -> {
                    JsonArrayBuilder items = JSON.createArrayBuilder();
                    listItems(row.list).forEach(item -> items.add(typed(type, item)));
                    c.add("value", items);
                }
                case RANGE -> c.add("value", JSON.createArrayBuilder().add(typed(type, row.low)).add(typed(type, row.high)));
                case DAYS -> c.add("value", typed(ColumnType.NUMBER, row.value));
                case NONE -> {
                }
            }
            conditions.add(c);
        }
        JsonObjectBuilder body = JSON.createObjectBuilder().add("logic", logic).add("conditions", conditions);
        if (datasetId != null) {
            body.add("datasetId", datasetId);
        }
        return body;
    }

    /** A number as a JSON number, a yes/no as a JSON boolean, everything else as typed (the boundary judges it). */
    private static JsonValue typed(ColumnType type, String text) {
        String v = text == null ? "" : text.trim();
        if (type == ColumnType.NUMBER && NUMBER.matcher(v).matches()) {
            return JSON.createValue(new BigDecimal(v));
        }
        if (type == ColumnType.BOOLEAN && (v.equals("true") || v.equals("false"))) {
            return v.equals("true") ? JsonValue.TRUE : JsonValue.FALSE;
        }
        return JSON.createValue(v);
    }

    private static List<String> listItems(String list) {
        return list == null ? List.of() : list.lines().map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** What a condition still lacks before it can be previewed, or null when it is complete. */
    private String incomplete(Row row) {
        if (blank(row.field)) {
            return "choose a field";
        }
        if (blank(row.operator)) {
            return "choose an operator";
        }
        return switch (shape(row)) {
            case ONE, TEXT, DAYS -> blank(row.value) ? "enter a value" : null;
            case LIST -> listItems(row.list).isEmpty() ? "enter at least one value" : null;
            case RANGE -> blank(row.low) || blank(row.high) ? "enter both ends" : null;
            case NONE -> null;
        };
    }

    private void showErrors(SegmatchException e) {
        for (FieldError error : e.errors()) {
            String field = error.field() == null ? "" : error.field();
            Matcher m = CONDITION_FIELD.matcher(field);
            if (m.matches() && Integer.parseInt(m.group(1)) < rows.size()) {
                Row row = rows.get(Integer.parseInt(m.group(1)));
                String message = message(row, m.group(2), error.message());
                row.error = row.error == null ? message : row.error + "; " + message;
            } else if (field.equals("name")) {
                nameError = error.message();
            } else if (field.equals("datasetId")) {
                datasetError = "Choose a dataset.";
            } else {
                formError = (formError == null ? "" : formError + " ") + capitalised(error.message()) + ".";
            }
        }
        if (e.errors().isEmpty()) {
            formError = e.getMessage();
        }
    }

    /** A boundary message in the builder's words: which part of the condition, then what it needs. */
    private String message(Row row, String part, String message) {
        Matcher item = Pattern.compile("value\\[(\\d+)]").matcher(part);
        if (item.matches()) {
            int i = Integer.parseInt(item.group(1));
            if (shape(row) == Shape.RANGE) {
                return (i == 0 ? "Low end: " : "High end: ") + message;
            }
            return "Value " + (i + 1) + " of the list: " + message;
        }
        return switch (part) {
            case "field" -> "Field: " + message;
            case "operator" -> "Operator: " + message;
            case "value" -> message.equals("low is greater than high")
                    ? "The low end is greater than the high end." : "Value: " + message;
            default -> capitalised(message);
        };
    }

    private static String capitalised(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private void clearErrors() {
        rows.forEach(r -> r.error = null);
        nameError = datasetError = formError = null;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private ColumnType type(Row row) {
        String type = row.field == null ? null : columns.get(row.field);
        return type == null ? null : ColumnType.fromApiName(type).orElse(null);
    }

    private Shape shape(Row row) {
        return Operator.fromApiName(row.operator == null ? "" : row.operator).map(op -> op.shape).orElse(Shape.NONE);
    }

    // ---- what the page reads ----

    public List<DatasetChoice> getDatasets() {
        return datasetChoices;
    }

    public List<SelectItem> getFieldItems() {
        List<SelectItem> items = new ArrayList<>();
        columns.forEach((n, t) -> items.add(new SelectItem(n, n + " (" + t + ")")));
        return items;
    }

    /** The operators the row's field takes, labelled in words that fit its type. */
    public List<SelectItem> operatorItems(Row row) {
        ColumnType type = type(row);
        if (type == null) {
            return List.of();
        }
        return Operator.forType(type).stream().map(op -> new SelectItem(op.apiName(), label(op, type))).toList();
    }

    static String label(Operator op, ColumnType type) {
        boolean time = type == ColumnType.DATE || type == ColumnType.TIMESTAMP;
        return switch (op) {
            case EQ -> "is";
            case NEQ -> "is not";
            case CONTAINS -> "contains";
            case NOT_CONTAINS -> "does not contain";
            case STARTS_WITH -> "starts with";
            case ENDS_WITH -> "ends with";
            case IN -> "is one of";
            case NOT_IN -> "is none of";
            case GT -> time ? "is after" : "is greater than";
            case GTE -> time ? "is on or after" : "is at least";
            case LT -> time ? "is before" : "is less than";
            case LTE -> time ? "is on or before" : "is at most";
            case BETWEEN -> "is between";
            case IN_LAST_DAYS -> "is in the last";
            case IS_SET -> "is set";
            case IS_NOT_SET -> "is not set";
        };
    }

    /** The value input a row needs: none, text, number, date, timestamp, boolean, list, range, days. */
    public String input(Row row) {
        ColumnType type = type(row);
        if (type == null || blank(row.operator)) {
            return "none";
        }
        return switch (shape(row)) {
            case NONE -> "none";
            case LIST -> "list";
            case RANGE -> "range";
            case DAYS -> "days";
            case TEXT -> "text";
            case ONE -> switch (type) {
                case STRING -> "text";
                case NUMBER -> "number";
                case DATE -> "date";
                case TIMESTAMP -> "timestamp";
                case BOOLEAN -> "boolean";
            };
        };
    }

    /** The HTML input type of a single value: a date picker for dates, text otherwise. */
    public String htmlType(Row row) {
        return type(row) == ColumnType.DATE ? "date" : "text";
    }

    public String placeholder(Row row) {
        ColumnType type = type(row);
        if (type == null) {
            return "";
        }
        return switch (type) {
            case NUMBER -> "e.g. 100 or 2.5";
            case DATE -> "yyyy-mm-dd";
            case TIMESTAMP -> "2026-03-01 10:15 (UTC unless a zone is given)";
            default -> "";
        };
    }

    /**
     * The message element of every condition row, for the Ajax updates that must not redraw
     * the inputs the user is typing into.
     */
    public String getErrorTargets() {
        StringBuilder ids = new StringBuilder();
        for (int i = 0; i < rows.size(); i++) {
            ids.append(" :builder:rows:").append(i).append(":error");
        }
        return ids.toString().trim();
    }

    public boolean isCanAddCondition() {
        return rows.size() < io.segmatch.segments.entity.Rule.MAX_CONDITIONS;
    }

    public boolean isNew() {
        return id == null;
    }

    public String getId() {
        return id;
    }

    public void setId(String id) {
        if (!loaded) {
            this.id = id;
        }
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getDatasetId() {
        return datasetId;
    }

    public void setDatasetId(String datasetId) {
        this.datasetId = blank(datasetId) ? null : datasetId;
    }

    public String getLogic() {
        return logic;
    }

    public void setLogic(String logic) {
        this.logic = Logic.OR.name().equals(logic) ? Logic.OR.name() : Logic.AND.name();
    }

    public boolean isCountAll() {
        return countAll;
    }

    public void setCountAll(boolean countAll) {
        this.countAll = countAll;
    }

    public List<Row> getRows() {
        return rows;
    }

    public String getNameError() {
        return nameError;
    }

    public String getDatasetError() {
        return datasetError;
    }

    public String getFormError() {
        return formError;
    }

    public PreviewView getPreview() {
        return preview;
    }

    public String getPreviewNote() {
        return previewNote;
    }

    public boolean isHasColumns() {
        return !columns.isEmpty();
    }
}
