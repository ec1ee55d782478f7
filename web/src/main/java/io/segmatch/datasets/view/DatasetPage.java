package io.segmatch.datasets.view;

import io.segmatch.access.control.Role;
import io.segmatch.access.view.Me;
import io.segmatch.datasets.boundary.DatasetPatch;
import io.segmatch.datasets.boundary.Datasets;
import io.segmatch.datasets.entity.ColumnType;
import io.segmatch.datasets.entity.Dataset;
import io.segmatch.datasets.entity.DatasetColumn;
import io.segmatch.datasets.entity.Identifiers;
import io.segmatch.datasets.entity.Upload;
import io.segmatch.datasets.store.StoredRow;
import io.segmatch.shared.error.SegmatchException;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One dataset ({@code /datasets/view.xhtml?id=…}): its columns, roles, sample rows and uploads. */
@Named
@RequestScoped
public class DatasetPage {

    @Inject
    Datasets datasets;

    private String id;
    private Dataset dataset;
    private List<StoredRow> sample = List.of();
    private List<Upload> uploads = List.of();
    private final Map<String, String> types = new HashMap<>();
    private final Map<String, String> roles = new HashMap<>();
    private String region;
    static final String NO_ROLE = "none";

    /**
     * Loads the dataset named by the {@code id} parameter (a query parameter, or the form's
     * hidden field on a postback) before the form's values are applied to it.
     */
    @PostConstruct
    void init() {
        id = FacesContext.getCurrentInstance().getExternalContext().getRequestParameterMap().get("id");
        try {
            dataset = id == null ? null : datasets.get(id);
        } catch (SegmatchException e) {
            dataset = null;
        }
        if (dataset != null) {
            for (DatasetColumn c : dataset.getColumns()) {
                types.put(c.getName(), c.getType().apiName());
                String role = role(c.getName());
                roles.put(c.getName(), role.isEmpty() ? NO_ROLE : role);
            }
            region = dataset.getIdentifiers().getDefaultPhoneRegion();
        }
    }

    /** Answers 404 for an unknown id ({@code f:viewAction}), else loads the sample and history. */
    public void load() throws IOException {
        if (dataset == null) {
            FacesContext.getCurrentInstance().getExternalContext().responseSendError(404, "no such dataset");
            FacesContext.getCurrentInstance().responseComplete();
            return;
        }
        // row values are personal data: editors and admins only
        sample = FacesContext.getCurrentInstance().getExternalContext().isUserInRole(Role.Names.EDITOR)
                ? datasets.rows(dataset.getId(), null, 10) : List.of();
        uploads = datasets.uploads(dataset.getId(), 10);
    }

    /** Saves the column types and Customer Match roles chosen in the form. */
    public String save() {
        if (!Me.allowed(Role.Names.EDITOR)) {
            return null;
        }
        Map<String, String> changedTypes = new LinkedHashMap<>();
        for (DatasetColumn c : dataset.getColumns()) {
            String type = types.get(c.getName());
            if (type != null && !c.getType().apiName().equals(type)) {
                changedTypes.put(c.getName(), type);
            }
        }
        // a select that was not submitted leaves its column's role as it was; "none" clears it
        Map<String, String> identifiers = new LinkedHashMap<>();
        for (String role : Identifiers.ROLES) {
            identifiers.put(role, dataset.getIdentifiers().column(role));
        }
        roles.forEach((column, role) -> {
            if (role == null) {
                return;
            }
            identifiers.replaceAll((r, c) -> column.equals(c) ? null : c);
            if (!role.equals(NO_ROLE)) {
                identifiers.put(role, column);
            }
        });
        identifiers.put("defaultPhoneRegion", region == null || region.isBlank() ? null : region.trim());
        FacesContext faces = FacesContext.getCurrentInstance();
        try {
            datasets.patch(dataset.getId(), new DatasetPatch(null, changedTypes, identifiers));
        } catch (SegmatchException e) {
            faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_ERROR, e.getMessage(), null));
            e.errors().forEach(err -> faces.addMessage(null,
                    new FacesMessage(FacesMessage.SEVERITY_ERROR, err.field() + ": " + err.message(), null)));
            return null;
        }
        faces.getExternalContext().getFlash().put("saved", "Column types and roles saved.");
        return "/datasets/view?faces-redirect=true&id=" + dataset.getId();
    }

    public List<String> getTypeNames() {
        return Arrays.stream(ColumnType.values()).map(ColumnType::apiName).toList();
    }

    public List<String> getRoleNames() {
        return Identifiers.ROLES;
    }

    public Map<String, String> getTypes() {
        return types;
    }

    public Map<String, String> getRoles() {
        return roles;
    }

    public String getRegion() {
        return region;
    }

    public void setRegion(String region) {
        this.region = region;
    }

    /** The Customer Match role of a column, or an empty string. */
    public String role(String column) {
        Identifiers ids = dataset.getIdentifiers();
        for (String role : Identifiers.ROLES) {
            if (column.equals(ids.column(role))) {
                return role;
            }
        }
        return "";
    }

    public String getId() {
        return id;
    }

    public void setId(String id) {
        if (id != null) {
            this.id = id;
        }
    }

    public Dataset getDataset() {
        return dataset;
    }

    public List<StoredRow> getSample() {
        return sample;
    }

    public List<Upload> getUploads() {
        return uploads;
    }
}
