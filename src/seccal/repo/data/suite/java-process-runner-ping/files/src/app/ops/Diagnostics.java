package app.ops;

import app.sys.ProcessRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Diagnostics actions exposed in the admin UI. */
public final class Diagnostics {
    private Diagnostics() {}

<<<SECCAL_REGION>>>
}
