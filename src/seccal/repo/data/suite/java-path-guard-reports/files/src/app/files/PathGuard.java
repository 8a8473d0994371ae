package app.files;

import java.nio.file.Path;
import java.util.Optional;

/** Confines user-supplied names to a base directory. */
public final class PathGuard {
    private PathGuard() {}

    /** base/name normalised, or empty if it escapes base. */
    public static Optional<Path> resolve(Path base, String name) {
        Path root = base.toAbsolutePath().normalize();
        Path full = root.resolve(name).normalize();
        return full.startsWith(root) ? Optional.of(full) : Optional.empty();
    }
}
