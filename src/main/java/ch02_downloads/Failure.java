package ch02_downloads;

import java.net.URI;
import java.util.Objects;

/** One site that could not be downloaded, and why (e.g. {@code "IOException: HTTP 500 from ..."}). */
public record Failure(URI site, String reason) {

    public Failure {
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(reason, "reason");
    }
}
