// Scratch memory for kernel inputs and outputs. The module uses the stub runtime (a bump
// allocator that never frees), so the host resets the heap before each call and allocates that
// call's buffers afresh. Any growth detaches the host's views: it must re-create them afterwards.

/** Allocate `bytes` of scratch memory, 16-byte aligned (for v128 loads). Returns its address. */
export function scratchAlloc(bytes: usize): usize {
  return heap.alloc(bytes);
}

/** Forget every scratch allocation. Previously returned addresses become invalid. */
export function scratchReset(): void {
  heap.reset();
}
