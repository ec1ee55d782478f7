package io.segmatch.segments.view;

import io.segmatch.access.control.Role;
import io.segmatch.access.view.Me;
import io.segmatch.datasets.boundary.Datasets;
import io.segmatch.datasets.entity.ColumnType;
import io.segmatch.datasets.entity.Dataset;
import io.segmatch.datasets.entity.DatasetColumn;
import io.segmatch.segments.boundary.PreviewRequest;
import io.segmatch.segments.boundary.SegmentRequest;
import io.segmatch.segments.boundary.Segments;
import io.segmatch.segments.entity.Logic;
import io.segmatch.segments.entity.Operator.Shape;
import io.segmatch.segments.entity.Operator;
import io.segmatch.segments.entity.Segment;
import io.segmatch.segments.evaluation.RuleRequest;
import io.segmatch.shared.error.SegmatchException.FieldError;
import io.segmatch.shared.error.SegmatchException;
import jakarta.faces.context.FacesContext;
import jakarta.faces.model.SelectItem;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.io.Serializable;
import java.io.StringReader;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
    /** The rule's entries: conditions and groups (which hold entries in turn). */
    private final RuleTree tree = new RuleTree();
    /** The chosen dataset's columns and other segments, for what each row's field takes. */
    private ConditionForm form = new ConditionForm(Map.of(), Map.of());
    private String nameError;
    private String datasetError;
    private String formError;
    private PreviewView preview;
    private String previewNote;
    private List<DatasetChoice> datasetChoices = List.of();

    /** A dataset the builder offers. */
    public record DatasetChoice(String id, String name) implements Serializable {
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
            tree.rows.add(new ConditionRow());
            refresh();
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
                tree.rows.add(ConditionRow.of(c.asJsonObject()));
            }
        }
        refresh();
    }

    private void loadColumns() {
        Map<String, String> columns = new LinkedHashMap<>();
        Map<String, String> others = new LinkedHashMap<>();
        if (datasetId != null) {
            try {
                for (DatasetColumn c : datasets.get(datasetId).getColumns()) {
                    columns.put(c.getName(), c.getType().apiName());
                }
                segments.list().stream().filter(s -> s.getDatasetId().equals(datasetId) && !s.getId().equals(id))
                        .sorted(Comparator.comparing(Segment::getName, String.CASE_INSENSITIVE_ORDER))
                        .forEach(s -> others.put(s.getId(), s.getName()));
            } catch (SegmatchException e) {
                datasetId = null;
            }
        }
        form = new ConditionForm(columns, others);
    }

    // ---- structural edits (the whole builder is re-rendered) ----

    /** Another dataset: its columns, and one empty condition. */
    public void datasetChanged() {
        loadColumns();
        tree.rows.clear();
        tree.rows.add(new ConditionRow());
        refresh();
    }

    /** Another field: keeps the operator if the new type takes it, else the type's first one. */
    public void fieldChanged(ConditionRow row) {
        if (row.isSegment()) {
            if (!"in".equals(row.operator) && !"not_in".equals(row.operator)) {
                row.operator = "in";
            }
            row.value = row.low = row.high = row.list = null;
            refresh();
            return;
        }
        if (form.isSegmentId(row.value)) {
            // from a segment membership to a column: start the condition afresh
            row.operator = null;
            row.value = null;
        }
        ColumnType type = form.type(row);
        Operator current = Operator.fromApiName(row.operator).orElse(null);
        if (type != null && (current == null || !current.takes(type))) {
            row.operator = Operator.forType(type).get(0).apiName();
            row.value = row.low = row.high = row.list = null;
        }
        refresh();
    }

    /** Another operator: moves the value over when the shape changes between one value and a list. */
    public void operatorChanged(ConditionRow row) {
        Shape shape = form.shape(row);
        if (shape == Shape.LIST && ConditionForm.blank(row.list) && !ConditionForm.blank(row.value)) {
            row.list = row.value;
        } else if (shape != Shape.LIST && ConditionForm.blank(row.value) && !ConditionForm.blank(row.list)) {
            row.value = row.list.lines().findFirst().orElse(null);
        }
        refresh();
    }

    public void addCondition() {
        tree.addCondition();
        refresh();
    }

    public void addGroup() {
        tree.addGroup(logic);
        refresh();
    }

    public void addConditionTo(ConditionRow group) {
        tree.addConditionTo(group);
        refresh();
    }

    public void addGroupTo(ConditionRow group) {
        tree.addGroupTo(group);
        refresh();
    }

    public void removeCondition(ConditionRow row) {
        tree.remove(row);
        refresh();
    }

    public void ungroup(ConditionRow group) {
        tree.ungroup(group);
        refresh();
    }

    public void moveIntoGroup(ConditionRow row) {
        tree.moveIn(row);
        refresh();
    }

    public void moveOutOfGroup(ConditionRow row) {
        tree.moveOut(row);
        refresh();
    }

    /** The rule as the lines the page draws, in order; each knows its path and joiner. */
    public List<BuilderLine> getLines() {
        return tree.lines(logic);
    }

    public boolean canNestIn(ConditionRow group) {
        return tree.canNestIn(group);
    }

    public boolean canMoveIn(ConditionRow row) {
        return tree.canMoveIn(row);
    }

    public boolean canMoveOut(ConditionRow row) {
        return tree.canMoveOut(row);
    }

    // ---- preview and save ----

    /**
     * Runs the preview for the rule as it stands: when a condition is still incomplete the
     * panel says which; invalid conditions get their message next to them.
     */
    public void refresh() {
        if (!Me.allowed(Role.Names.EDITOR)) {
            return;
        }
        clearErrors();
        preview = null;
        previewNote = null;
        if (datasetId == null) {
            previewNote = "Choose a dataset to see how many of its rows match.";
            return;
        }
        for (BuilderLine line : getLines()) {
            String missing = line.getRow().isGroup() ? null : form.incomplete(line.getRow());
            if (missing != null) {
                previewNote = "Complete condition " + line.getNumber() + " (" + missing + ") to see the count.";
                return;
            }
        }
        try {
            var result = segments.preview(new PreviewRequest(datasetId, rule(),
                    (long) (countAll ? 0 : Segments.DEFAULT_PREVIEW_ROWS)));
            List<String> names = result.dataset().getColumns().stream().map(DatasetColumn::getName)
                    .filter(n -> !n.equals(result.dataset().getKeyColumn())).toList();
            List<PreviewView.SampleRow> sample = result.result().sample().stream()
                    .map(r -> new PreviewView.SampleRow(r.key(), names.stream().map(n -> r.values().getOrDefault(n, "")).toList()))
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
        if (!Me.allowed(Role.Names.EDITOR)) {
            return null;
        }
        clearErrors();
        JsonValue activation = null;
        if (activationJson != null) {
            // kept as it is: the builder does not change a segment's activation
            try (var reader = JSON.createReader(new StringReader(activationJson))) {
                activation = reader.readObject();
            }
        }
        SegmentRequest request = new SegmentRequest(name == null ? "" : name, datasetId, rule(), activation);
        try {
            Segment saved = id == null ? segments.create(request, false) : segments.update(id, request, false);
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
        if (!Me.allowed(Role.Names.EDITOR)) {
            return null;
        }
        if (id != null) {
            try {
                segments.delete(id, FacesContext.getCurrentInstance().getExternalContext().isUserInRole(Role.Names.ADMIN));
            } catch (SegmatchException e) {
                formError = e.getMessage();
                return null;
            }
            FacesContext.getCurrentInstance().getExternalContext().getFlash().put("saved", "Deleted segment “" + name + "”.");
        }
        return "/segments/index?faces-redirect=true";
    }

    /** The rule as the boundary takes it: logic and the entries. */
    private RuleRequest rule() {
        return new RuleRequest(logic, tree.rows.stream().map(form::request).toList());
    }

    private void showErrors(SegmatchException e) {
        List<BuilderLine> lines = getLines();
        for (FieldError error : e.errors()) {
            String field = error.field() == null ? "" : error.field();
            // the deepest entry the path names: conditions[1].conditions[0].value is condition 0 of group 1
            BuilderLine at = null;
            for (BuilderLine line : lines) {
                if ((field.equals(line.getPath()) || field.startsWith(line.getPath() + "."))
                        && (at == null || line.getPath().length() > at.getPath().length())) {
                    at = line;
                }
            }
            if (at != null) {
                ConditionRow row = at.getRow();
                String part = field.length() > at.getPath().length() ? field.substring(at.getPath().length() + 1) : "";
                String message = form.message(row, part, error.message());
                row.error = row.error == null ? message : row.error + "; " + message;
            } else if (field.equals("name")) {
                nameError = error.message();
            } else if (field.equals("datasetId")) {
                datasetError = "Choose a dataset.";
            } else {
                formError = (formError == null ? "" : formError + " ") + ConditionForm.capitalised(error.message()) + ".";
            }
        }
        if (e.errors().isEmpty()) {
            formError = e.getMessage();
        }
    }

    private void clearErrors() {
        getLines().forEach(l -> l.getRow().error = null);
        nameError = datasetError = formError = null;
    }

    // ---- what the page reads ----

    public List<DatasetChoice> getDatasets() {
        return datasetChoices;
    }

    public List<SelectItem> getFieldItems() {
        return form.fieldItems();
    }

    /** The operators the row's field takes, labelled in words that fit its type. */
    public List<SelectItem> operatorItems(ConditionRow row) {
        return form.operatorItems(row);
    }

    /** The value input a row needs: none, text, number, date, timestamp, boolean, list, range, days. */
    public String input(ConditionRow row) {
        return form.input(row);
    }

    /** The HTML input type of a single value: a date picker for dates, text otherwise. */
    public String htmlType(ConditionRow row) {
        return form.htmlType(row);
    }

    public String placeholder(ConditionRow row) {
        return form.placeholder(row);
    }

    /**
     * The message element of every condition row, for the Ajax updates that must not redraw
     * the inputs the user is typing into.
     */
    public String getErrorTargets() {
        StringBuilder ids = new StringBuilder();
        int size = getLines().size();
        for (int i = 0; i < size; i++) {
            ids.append(" :builder:rows:").append(i).append(":error");
        }
        return ids.toString().trim();
    }

    public boolean isCanAddCondition() {
        return tree.canAdd();
    }

    public List<SelectItem> getSegmentItems() {
        return form.segmentItems();
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
        this.datasetId = ConditionForm.blank(datasetId) ? null : datasetId;
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
        return form.hasColumns();
    }
}
