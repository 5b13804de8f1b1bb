package shop.systemtests;

import org.junit.jupiter.api.BeforeAll;

/** Base of every scenario: the running system (started once per test run) and the shop as its users see it. */
abstract class SystemTest {

    static SystemUnderTest system;
    static Shop shop;

    @BeforeAll
    static void startSystem() {
        system = SystemUnderTest.get();
        shop = new Shop(system);
        shop.closeBreakers(system.orders);
    }
}
