import { Router } from 'express';
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import type { AppDeps } from './deps';
import { mount } from './route';
import { allRoutes } from './routes';

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

/**
 * The OpenAPI document of every route, without a server (docs/api.md's generator and its drift
 * test). Route factories only close over `deps`, so nothing here touches the store.
 */
export function openApiDocument(deps: AppDeps): object {
    const registry = createRegistry();
    const router = Router();
    for (const spec of allRoutes(deps)) mount(router, registry, spec);
    return generateOpenApi(registry);
}
