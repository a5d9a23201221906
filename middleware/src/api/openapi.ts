import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';

export function createRegistry(): OpenAPIRegistry {
    const registry = new OpenAPIRegistry();
    registry.registerComponent('securitySchemes', 'bearerAuth', {
        type: 'http',
        scheme: 'bearer',
        description:
            'The org API key. Calls from Salesforce also send X-Acting-User: <18-char Salesforce User Id> and run as that Backstory user.'
    });
    return registry;
}

export function generateOpenApi(registry: OpenAPIRegistry): object {
    return new OpenApiGeneratorV31(registry.definitions).generateDocument({
        openapi: '3.1.0',
        info: {
            title: 'Backstory Companion middleware API',
            version: '1.0.0',
            description:
                'The HTTP contract used by the LWCs (through the Apex proxy), scripts and outside tests. Errors use the envelope {"error": {"code", "message", "details": [{"path", "message"}]}}.'
        },
        servers: [{ url: '/' }]
    });
}
