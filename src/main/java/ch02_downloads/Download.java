package ch02_downloads;

import java.net.URI;
import java.util.Objects;

/** One site downloaded: how many bytes its body had. */
public record Download(URI site, int bytes) {

    public Download {
        Objects.requireNonNull(site, "site");
    }
}
