package ch01_threads;

import java.util.Collection;
import java.util.List;

/** The weather service knows none of these cities. Names every one, not just the first found. */
public class CityNotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final List<String> cities;

    public CityNotFoundException(Collection<String> cities) {
        super("the weather service knows no city called " + String.join(", ", cities));
        this.cities = List.copyOf(cities);
    }

    /** The cities the service did not know. */
    public List<String> cities() {
        return cities;
    }
}
