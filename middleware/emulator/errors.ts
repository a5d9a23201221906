/** A Salesforce API error: serialised as `[{message, errorCode, fields}]` with its HTTP status. */
export class SfError extends Error {
    constructor(
        readonly status: number,
        readonly errorCode: string,
        message: string,
        readonly fields: string[] = []
    ) {
        super(message);
    }

    toJSON(): { message: string; errorCode: string; fields: string[] } {
        return { message: this.message, errorCode: this.errorCode, fields: this.fields };
    }
}

export const invalidField = (object: string, field: string) =>
    new SfError(
        400,
        'INVALID_FIELD',
        `No such column '${field}' on entity '${object}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`
    );

export const invalidType = (object: string) =>
    new SfError(
        400,
        'INVALID_TYPE',
        `sObject type '${object}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`
    );

export const notFound = (message = 'The requested resource does not exist') => new SfError(404, 'NOT_FOUND', message);

export const malformedQuery = (message: string) => new SfError(400, 'MALFORMED_QUERY', message);
