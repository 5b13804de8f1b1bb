package shop.order.domain;

public enum OrderStatus {
    PENDING, CONFIRMED, FAILED
}
