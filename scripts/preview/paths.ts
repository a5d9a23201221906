import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const OUT_DIR = path.join(ROOT, '.preview-build');
export const LWC_DIR = path.join(ROOT, 'force-app', 'main', 'default', 'lwc');
export const LABELS = path.join(ROOT, 'force-app', 'main', 'default', 'labels', 'CustomLabels.labels-meta.xml');
export const APP_DIR = path.join(__dirname, 'app');
