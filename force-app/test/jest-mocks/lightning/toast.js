// lightning/toast with a spy: tests assert `Toast.show` was called with the outcome an admin sees.
import { LightningElement, api } from 'lwc';

export default class Toast extends LightningElement {
    static show = jest.fn();

    @api label;
    @api message;
    @api variant;
    @api mode;
}
