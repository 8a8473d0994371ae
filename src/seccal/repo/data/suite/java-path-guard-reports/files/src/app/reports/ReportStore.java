package app.reports;

import app.files.PathGuard;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Generated reports on disk. */
public final class ReportStore {
    private final Path dir;

    public ReportStore(Path dir) {
        this.dir = dir;
    }

<<<SECCAL_REGION>>>
}
