import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { standardPermissionSetXml } from '../middleware/src/domain/manifest';

// `npm run generate:permset`: writes the Backstory Standard Permissions permission set from the
// integration manifest (PERM-6). A test fails when the committed file and the manifest differ.
export const PERMISSION_SET_FILE = path.resolve(
    __dirname,
    '..',
    'force-app',
    'main',
    'default',
    'permissionsets',
    'Backstory_Standard_Permissions.permissionset-meta.xml'
);

if (require.main === module) {
    writeFileSync(PERMISSION_SET_FILE, standardPermissionSetXml());
    process.stdout.write(`wrote ${path.relative(process.cwd(), PERMISSION_SET_FILE)}\n`);
}
