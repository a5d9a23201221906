// Builds the LWC preview once before any browser test (skipped when the build is current), so no
// test's beforeAll pays for a cold compile: on two busy cores that alone can take minutes.
const { execFileSync } = require('node:child_process');
const path = require('node:path');

module.exports = async function buildPreviewFirst() {
    const root = path.resolve(__dirname, '..', '..');
    execFileSync(
        process.execPath,
        [path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(__dirname, 'build.ts')],
        {
            cwd: root,
            stdio: 'inherit'
        }
    );
};
