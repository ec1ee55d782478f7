package io.segmatch.datasets.view;

import io.segmatch.access.control.Role;
import io.segmatch.access.view.Me;
import io.segmatch.datasets.boundary.Datasets.UploadParams;
import io.segmatch.datasets.boundary.Datasets;
import io.segmatch.datasets.control.SpooledUpload;
import io.segmatch.datasets.control.UploadProcessor;
import io.segmatch.datasets.entity.Dataset;
import io.segmatch.datasets.entity.Upload;
import io.segmatch.shared.error.SegmatchException;
import jakarta.annotation.PreDestroy;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.json.JsonValue;
import jakarta.servlet.http.Part;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import static io.segmatch.shared.json.Jsons.JSON;

/**
 * The upload page ({@code /datasets/upload.xhtml}) in two steps: the file is read and its
 * header shown (the key column chooser is filled from it), then the upload is applied and
 * its summary shown with the rejected lines. The file waits on disk between the steps.
 */
@Named
@ViewScoped
public class UploadPage implements Serializable {

    private static final long serialVersionUID = 1L;
    static final String NEW = "new";

    @Inject
    Datasets datasets;

    private transient Part file;
    private String target = NEW;
    private String name;
    private String key;
    private String mode = "upsert";

    private String spoolPath;
    private long spoolSize;
    private byte[] spoolHead;
    private boolean spoolUtf8;
    private String fileName;
    private List<String> columns;
    private String encoding;
    private String delimiter;
    private Summary summary;

    /** What the page shows after an upload. */
    public record Summary(String datasetId, long read, long inserted, long updated, long unchanged, long rejected,
                          long duplicates, long deleted, List<Rejection> errors) implements Serializable {
    }

    public record Rejection(long line, String message) implements Serializable {
    }

    public List<Dataset> getDatasets() {
        return datasets.list();
    }

    /** Step 1: reads the file's header. */
    public void read() {
        if (!Me.allowed(Role.Names.EDITOR)) {
            return;
        }
        discard();
        summary = null;
        if (file == null || file.getSize() == 0 && (file.getSubmittedFileName() == null || file.getSubmittedFileName().isEmpty())) {
            error("Choose a CSV file first (an empty file has nothing to read).");
            return;
        }
        try (InputStream in = file.getInputStream()) {
            SpooledUpload spooled = SpooledUpload.spool(in, Long.MAX_VALUE);
            spoolPath = spooled.path();
            spoolSize = spooled.size();
            spoolHead = spooled.head();
            spoolUtf8 = spooled.validUtf8();
            fileName = file.getSubmittedFileName();
            var header = UploadProcessor.header(spooled, null, null);
            columns = header.columns();
            encoding = header.dialect().encodingName();
            delimiter = header.dialect().delimiter() == '\t' ? "tab" : header.dialect().delimiterText();
            if (NEW.equals(target)) {
                key = header.guessedKey();
                if (name == null || name.isBlank()) {
                    name = fileName == null ? null : fileName.replaceFirst("\\.[A-Za-z0-9]{1,5}$", "");
                }
            } else {
                key = datasets.get(target).getKeyColumn();
            }
        } catch (SegmatchException e) {
            discard();
            error(e.getMessage());
        } catch (IOException e) {
            discard();
            error("The file could not be read: " + e.getMessage());
        }
    }

    /** Step 2: applies the upload and shows its summary. */
    public void apply() {
        if (!Me.allowed(Role.Names.EDITOR)) {
            return;
        }
        if (spoolPath == null) {
            error("Read a file first.");
            return;
        }
        SpooledUpload spooled = SpooledUpload.reopen(spoolPath, spoolSize, spoolHead, spoolUtf8);
        try {
            Upload upload = NEW.equals(target)
                    ? datasets.create(spooled, new UploadParams(name, key, "upsert", null, null, fileName))
                    : datasets.upload(target, spooled, new UploadParams(null, null, mode, null, null, fileName));
            summary = summary(upload);
            discard();
        } catch (SegmatchException e) {
            error(e.getMessage());
            for (var fieldError : e.errors().stream().limit(20).toList()) {
                error((fieldError.line() != null ? "Line " + fieldError.line() + ": " : "") + fieldError.message());
            }
        }
    }

    private static Summary summary(Upload u) {
        List<Rejection> errors = new ArrayList<>();
        try (var reader = JSON.createReader(new StringReader(u.getErrorsJson()))) {
            for (JsonValue v : reader.readArray()) {
                errors.add(new Rejection(v.asJsonObject().getJsonNumber("line").longValue(),
                        v.asJsonObject().getString("message")));
            }
        }
        var n = u.getCounts();
        return new Summary(u.getDatasetId(), n.read(), n.inserted(), n.updated(), n.unchanged(), n.rejected(),
                n.duplicates(), n.deleted(), errors);
    }

    /** Starts over with another file. */
    public void reset() {
        discard();
        summary = null;
        name = null;
        key = null;
    }

    @PreDestroy
    void discard() {
        if (spoolPath != null) {
            SpooledUpload.reopen(spoolPath, 0, new byte[0], true).close();
        }
        spoolPath = null;
        columns = null;
    }

    private static void error(String message) {
        FacesContext.getCurrentInstance().addMessage(null, new FacesMessage(FacesMessage.SEVERITY_ERROR, message, null));
    }

    public boolean isNewDataset() {
        return NEW.equals(target);
    }

    public Part getFile() {
        return file;
    }

    public void setFile(Part file) {
        this.file = file;
    }

    public String getTarget() {
        return target;
    }

    public void setTarget(String target) {
        this.target = target;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getKey() {
        return key;
    }

    public void setKey(String key) {
        this.key = key;
    }

    public String getMode() {
        return mode;
    }

    public void setMode(String mode) {
        this.mode = mode;
    }

    public String getFileName() {
        return fileName;
    }

    public List<String> getColumns() {
        return columns;
    }

    public String getEncoding() {
        return encoding;
    }

    public String getDelimiter() {
        return delimiter;
    }

    public Summary getSummary() {
        return summary;
    }
}
