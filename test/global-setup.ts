import { execFileSync } from 'node:child_process';

// Some tests run the real `oversight` binary (the compiled code) and the browser tests load the
// compiled stylesheet: build both first.
export default function setup(): void {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    stdio: 'inherit',
  });
  execFileSync(process.execPath, ['scripts/copy-assets.js'], { stdio: 'inherit' });
  execFileSync(process.execPath, ['scripts/build-assets.js'], { stdio: 'inherit' });
}
