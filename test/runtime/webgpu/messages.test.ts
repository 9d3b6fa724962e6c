/** The webgpu backend's messages and adapter classification, without starting Dawn. */
import { describe, expect, it } from 'vitest';
import { describeAdapter, isSoftwareAdapter, noAdapterMessage, startWebgpu, WebgpuUnavailableError } from '../../../src/runtime/webgpu.js';

describe('startWebgpu without its packages', () => {
  it('names both packages and the install command', async () => {
    const failure = await startWebgpu({ allowSoftware: true, installed: () => false }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(WebgpuUnavailableError);
    expect((failure as Error).message).toBe(
      'The webgpu backend needs the npm packages webgpu and @tensorflow/tfjs-backend-webgpu, which are not installed; ' +
        'install them with: npm install webgpu@0.6.2 @tensorflow/tfjs-backend-webgpu@4.22.0 ' +
        "(about 130 MB with Dawn's native library; nothing is downloaded at install).",
    );
  });

  it('names only the package that is missing', async () => {
    const failure = await startWebgpu({ allowSoftware: true, installed: (name) => name === 'webgpu' }).catch((error: unknown) => error);
    expect((failure as Error).message).toMatch(/^The webgpu backend needs the npm package @tensorflow\/tfjs-backend-webgpu, which is not installed;/);
  });
});

describe('noAdapterMessage', () => {
  const loader = '/usr/lib/x86_64-linux-gnu/libvulkan.so.1';
  const swiftshader = '/usr/lib/chromium/vk_swiftshader_icd.json';

  it('without the Vulkan loader: names libvulkan1', () => {
    expect(noAdapterMessage({}, () => false)).toMatch(/the Vulkan loader libvulkan\.so\.1 is not installed \(Debian\/Ubuntu: apt-get install libvulkan1\)/);
  });

  it('with the loader but no GPU driver: names the drivers and, when present, the SwiftShader line to export', () => {
    const withSwiftShader = noAdapterMessage({}, (file) => file === loader || file === swiftshader);
    expect(withSwiftShader).toMatch(/no Vulkan driver for a GPU is installed/);
    expect(withSwiftShader).toMatch(/export VK_ICD_FILENAMES=\/usr\/lib\/chromium\/vk_swiftshader_icd\.json\.$/);
    expect(noAdapterMessage({}, (file) => file === loader)).toMatch(/install SwiftShader \(apt-get install chromium-common\)/);
  });

  it('with VK_ICD_FILENAMES set: names the file that did not load', () => {
    expect(noAdapterMessage({ VK_ICD_FILENAMES: '/x.json' }, (file) => file === loader)).toMatch(/VK_ICD_FILENAMES \(\/x\.json\) did not load/);
  });
});

describe('adapters', () => {
  it('SwiftShader, llvmpipe and flagged fallback adapters are software; a GPU is not', () => {
    expect(isSoftwareAdapter({ architecture: 'swiftshader', description: 'SwiftShader driver 5.0.0' }, false)).toBe(true);
    expect(isSoftwareAdapter({ description: 'llvmpipe (LLVM 15.0.6, 256 bits)' }, false)).toBe(true);
    expect(isSoftwareAdapter({ vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H200' }, true)).toBe(true);
    expect(isSoftwareAdapter({ vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H200' }, false)).toBe(false);
  });

  it('describes an adapter in one phrase', () => {
    expect(describeAdapter({ vendor: 'google', architecture: 'swiftshader', device: '', description: 'SwiftShader driver 5.0.0', fallback: true })).toBe(
      'SwiftShader driver 5.0.0 (google swiftshader, software adapter)',
    );
    expect(describeAdapter({ vendor: 'nvidia', architecture: '', device: '', description: '', fallback: false })).toBe('unnamed adapter (nvidia)');
  });
});
