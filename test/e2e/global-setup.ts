// The CLI tests run the compiled CLI; compile it once so they test the current sources.
import { execaSync } from 'execa';
import { pkgPath } from '../../src/core/paths.js';

export default function setup(): void {
  execaSync('npx', ['tsc', '-p', pkgPath('tsconfig.json')], { stdio: 'inherit', cwd: pkgPath() });
}
