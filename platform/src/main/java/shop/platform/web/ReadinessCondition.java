package shop.platform.web;

/** Something a service must have done before {@code /ready} may answer 200 (beside database, broker, routes). */
public interface ReadinessCondition {

    boolean ready();
}
