package io.segmatch.datasets.view;

import io.segmatch.datasets.boundary.Datasets;
import io.segmatch.datasets.entity.Dataset;
import io.segmatch.datasets.entity.Identifiers;
import io.segmatch.datasets.entity.Upload;
import io.segmatch.datasets.store.StoredRow;
import io.segmatch.shared.control.SegmatchException;
import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.io.IOException;
import java.util.List;

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

    /** Loads the dataset once per request ({@code f:viewAction}); an unknown id answers 404. */
    public void load() throws IOException {
        try {
            dataset = datasets.get(id == null ? "" : id);
        } catch (SegmatchException e) {
            FacesContext.getCurrentInstance().getExternalContext().responseSendError(404, "no such dataset");
            FacesContext.getCurrentInstance().responseComplete();
            return;
        }
        sample = datasets.rows(dataset.getId(), null, 10);
        uploads = datasets.uploads(dataset.getId(), 10);
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
        this.id = id;
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
