package shop.order.saga;

import java.util.Map;
import java.util.UUID;

/** What a participant's answer means for the order ({@link SagaDecisions}), and what the saga does after it. */
public sealed interface Verdict {

    SagaAction next();

    /** The stock is held at these prices: charge next. */
    record Reserved(UUID reservationId, long totalAmount, String currency, Map<String, Long> unitPrices) implements Verdict {
        @Override
        public SagaAction next() {
            return SagaAction.CHARGE;
        }
    }

    /** The payment is complete: confirm next. */
    record Paid(UUID paymentId) implements Verdict {
        @Override
        public SagaAction next() {
            return SagaAction.CONFIRM;
        }
    }

    /** The reservation is confirmed: confirm the order, and the saga is done. */
    record Confirmed() implements Verdict {
        @Override
        public SagaAction next() {
            return SagaAction.STOP;
        }
    }

    /** The order fails with this reason (FailureReason); its compensations follow. */
    record Failed(String reason) implements Verdict {
        @Override
        public SagaAction next() {
            return SagaAction.COMPENSATE;
        }
    }

    /** The answer decides nothing (an error, a timeout, an outcome still unknown): the row stays as it is. */
    record Undecided(String answer) implements Verdict {
        @Override
        public SagaAction next() {
            return SagaAction.STOP;
        }
    }
}
