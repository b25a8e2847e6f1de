import { writeSync } from 'node:fs';

process.once('message', () => {
  writeSync(1, 'WARNING: lavapipe is not a conformant vulkan implementation, testing use only.\n');
  writeSync(
    2,
    '2026-11-30 01:31:54.05 [I:onnxruntime:node, device_discovery.cc:34 f] Discovered\n',
  );
  writeSync(2, 'Warning: Vulkan shaderUniform*ArrayDynamicIndexing required.\n');
  writeSync(2, ' - While initializing adapter (backend=BackendType::Vulkan)\n');
  writeSync(2, '    at InitializeImpl (/build/dawn/PhysicalDeviceVk.cpp:253)\n');
  process.send({ engine: 'onnxruntime', version: 'stand-in', status: 'started' }, () =>
    process.exit(0),
  );
});
