// AssemblyScript: the learned kernel's character n-gram hashes (the character block of
// FeatureExtractor.extractPrepared() in src/detect/learned/features.ts) and the fmix32 mixing step of its
// add(), part of wasm/learned-kernel.ts's build (its finishWords() calls hashGrams() with its buffers).

export const FNV_OFFSET: i32 = <i32>0x811c9dc5;
export const FNV_PRIME: i32 = 16777619;
const SEED_CHAR: i32 = 0x7e95c0a1;

/** fmix32 of four lanes at once (the mixing step of add()). */
@inline function fmix4(v: v128): v128 {
  let x = v128.xor(v, i32x4.shr_u(v, 16));
  x = i32x4.mul(x, i32x4.splat(<i32>0x85ebca6b));
  x = v128.xor(x, i32x4.shr_u(x, 13));
  x = i32x4.mul(x, i32x4.splat(<i32>0xc2b2ae35));
  return v128.xor(x, i32x4.shr_u(x, 16));
}

/** fmix32 (murmur3's finaliser), the mixing step of add(). */
@inline
export function fmix(hash: i32): i32 {
  let x = hash;
  x ^= <i32>(<u32>x >> 16);
  x = x * <i32>0x85ebca6b;
  x ^= <i32>(<u32>x >> 13);
  x = x * <i32>0xc2b2ae35;
  return x ^ <i32>(<u32>x >> 16);
}

/**
 * The mixed hashes of the character block in the order extractPrepared() adds them (by position, then by
 * order) into `mixed`; returns how many. Positions are independent, so four are hashed at once in SIMD lanes
 * (the same FNV-1a and fmix32 arithmetic, lane by lane); the last positions, whose higher orders run past the
 * end, one at a time.
 */
export function hashGrams(
  n: i32,
  codes: usize,
  emit: usize,
  mixed: usize,
  minOrder: i32,
  maxOrder: i32,
): i32 {
  const start = i32x4.splat((FNV_OFFSET ^ SEED_CHAR) * FNV_PRIME);
  const prime = i32x4.splat(FNV_PRIME);
  let perPosition: i32 = 0;
  for (let o = minOrder; o <= maxOrder; o++) perPosition += load<u8>(emit + <usize>o);
  const rowBytes = <usize>perPosition << 2;
  let p: i32 = 0;
  let at: usize = mixed;
  if (perPosition == 2) {
    // Two orders (the shipped options): both orders' four hashes interleaved by position with two shuffles.
    let low = minOrder;
    while (load<u8>(emit + <usize>low) != 1) low++;
    let high = maxOrder;
    while (load<u8>(emit + <usize>high) != 1) high--;
    for (; p + 3 + high <= n; p += 4) {
      let h = start;
      let atLow = start;
      for (let o: i32 = 1; o <= high; o++) {
        h = i32x4.mul(v128.xor(h, v128.load16x4_u(codes + (<usize>(p + o - 1) << 1))), prime);
        if (o == low) atLow = h;
      }
      const a = fmix4(v128.xor(atLow, i32x4.splat(low)));
      const b = fmix4(v128.xor(h, i32x4.splat(high)));
      v128.store(at, i32x4.shuffle(a, b, 0, 4, 1, 5));
      v128.store(at, i32x4.shuffle(a, b, 2, 6, 3, 7), 16);
      at += 32;
    }
  }
  for (; p + 3 + maxOrder <= n; p += 4) {
    let h = start;
    let lane: usize = at;
    for (let o: i32 = 1; o <= maxOrder; o++) {
      h = i32x4.mul(v128.xor(h, v128.load16x4_u(codes + (<usize>(p + o - 1) << 1))), prime);
      if (o >= minOrder && load<u8>(emit + <usize>o) == 1) {
        const x = fmix4(v128.xor(h, i32x4.splat(o)));
        v128.store_lane<i32>(lane, x, 0);
        v128.store_lane<i32>(lane + rowBytes, x, 1);
        v128.store_lane<i32>(lane + 2 * rowBytes, x, 2);
        v128.store_lane<i32>(lane + 3 * rowBytes, x, 3);
        lane += 4;
      }
    }
    at += rowBytes << 2;
  }
  const seed: i32 = (FNV_OFFSET ^ SEED_CHAR) * FNV_PRIME;
  for (; p + minOrder <= n; p++) {
    let h: i32 = seed;
    const end = maxOrder < n - p ? maxOrder : n - p;
    for (let o: i32 = 1; o <= end; o++) {
      h = (h ^ <i32>load<u16>(codes + (<usize>(p + o - 1) << 1))) * FNV_PRIME;
      if (o >= minOrder && load<u8>(emit + <usize>o) == 1) {
        store<i32>(at, fmix(h ^ o));
        at += 4;
      }
    }
  }
  return <i32>((at - mixed) >> 2);
}
