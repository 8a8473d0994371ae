package app.config;

public class ImportException extends Exception {
    public ImportException(String message, Throwable cause) {
        super(message, cause);
    }
}
