import { LightningElement, api } from 'lwc';
import { describeError } from 'c/errorUtils';
import TRY_AGAIN from '@salesforce/label/c.Backstory_Try_Again';

/**
 * The one way a screen shows a failure: the error envelope as a title in an admin's words, the
 * middleware's sentence, the field messages, and (with `retry-label`) the next action.
 */
export default class ErrorPanel extends LightningElement {
    /** The normalised error from c/backstoryApi: { status, code, message, details }. */
    @api error;
    /** Optional `{ 'activity.intakeData': 'Intake Data' }`: friendlier names for field paths. */
    @api fieldLabels;
    /** Shows a button that fires `retry` when set. */
    @api retryLabel;

    get described() {
        return describeError(this.error, this.fieldLabels);
    }

    get hasError() {
        return !!this.error;
    }

    get hasDetails() {
        return (this.described?.details.length ?? 0) > 0;
    }

    get showRetry() {
        return !!this.retryLabel;
    }

    get retryText() {
        return this.retryLabel === 'true' ? TRY_AGAIN : this.retryLabel;
    }

    handleRetry() {
        this.dispatchEvent(new CustomEvent('retry'));
    }
}
