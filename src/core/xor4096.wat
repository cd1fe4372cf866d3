;; The first outputs of seedrandom's xor4096 generator (Brent's xorgens-4096, as seedrandom 3.0.5 seeds it)
;; for a string key, without building seedrandom's generator object: the samplers seed each estimate's
;; xoshiro128** from the first four outputs of a fresh stream, and seedrandom's initialisation (672 mixing
;; steps in a growing JavaScript array) cost more than the estimate's walk at small batches.
;;
;; Memory: X, the 128-word circular state, at bytes 0..511; the outputs at 512..; the key's UTF-16 code
;; units at 1024.. . `first(len, n)` follows seedrandom's init(me, seed + '\0') and next() operation for
;; operation: the key and a terminating 0 are xored into v one unit at a time over max(128, len + 1) + 32
;; steps (v ^= v << 10; v ^= v >>> 15; v ^= v << 4; v ^= v >>> 13), X[j & 127] ^= v + w with the Weyl
;; sequence w += 0x61c88647 once j ≥ 0 (w starts as v at j = 0); an all-zero X gets X[(len + 1) & 127] = −1;
;; 512 warm-up steps of the xor generator without the Weyl sequence; then each output advances w and the
;; generator and is v + (w ^ (w >>> 16)) (as a signed 32-bit integer).
(module
  (memory (export "memory") 1)
    (func (export "first") (param $len i32) (param $n i32)
    (local $v i32) (local $w i32) (local $t i32) (local $i i32) (local $j i32) (local $limit i32) (local $slen i32) (local $k i32) (local $p i32)
    ;; X = 0
    (local.set $k (i32.const 0))
    (block $z (loop $zl (br_if $z (i32.ge_u (local.get $k) (i32.const 512))) (i32.store (local.get $k) (i32.const 0)) (local.set $k (i32.add (local.get $k) (i32.const 4))) (br $zl)))
    (local.set $slen (i32.add (local.get $len) (i32.const 1)))  ;; seed + '\0'
    (local.set $limit (select (i32.const 128) (local.get $slen) (i32.gt_s (i32.const 128) (local.get $slen))))
    (local.set $v (i32.const 0))
    (local.set $i (i32.const 0))
    (local.set $j (i32.const -32))
    (local.set $p (i32.const 0)) ;; (j+32) % slen, incrementally
    (block $done (loop $mix
      (br_if $done (i32.ge_s (local.get $j) (local.get $limit)))
      ;; v ^= charCode at p (0 for the terminating '\0')
      (if (i32.lt_u (local.get $p) (local.get $len))
        (then (local.set $v (i32.xor (local.get $v) (i32.load16_u offset=1024 (i32.shl (local.get $p) (i32.const 1)))))))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (if (i32.eq (local.get $p) (local.get $slen)) (then (local.set $p (i32.const 0))))
      (if (i32.eqz (local.get $j)) (then (local.set $w (local.get $v))))
      (local.set $v (i32.xor (local.get $v) (i32.shl (local.get $v) (i32.const 10))))
      (local.set $v (i32.xor (local.get $v) (i32.shr_u (local.get $v) (i32.const 15))))
      (local.set $v (i32.xor (local.get $v) (i32.shl (local.get $v) (i32.const 4))))
      (local.set $v (i32.xor (local.get $v) (i32.shr_u (local.get $v) (i32.const 13))))
      (if (i32.ge_s (local.get $j) (i32.const 0))
        (then
          (local.set $w (i32.add (local.get $w) (i32.const 0x61c88647)))
          (local.set $k (i32.shl (i32.and (local.get $j) (i32.const 127)) (i32.const 2)))
          (local.set $t (i32.xor (i32.load (local.get $k)) (i32.add (local.get $v) (local.get $w))))
          (i32.store (local.get $k) (local.get $t))
          (local.set $i (select (i32.add (local.get $i) (i32.const 1)) (i32.const 0) (i32.eqz (local.get $t))))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $mix)))
    (if (i32.ge_s (local.get $i) (i32.const 128))
      (then (i32.store (i32.shl (i32.and (local.get $slen) (i32.const 127)) (i32.const 2)) (i32.const -1))))
    (local.set $i (i32.const 127))
    (local.set $j (i32.const 512))
    (block $d2 (loop $warm
      (br_if $d2 (i32.eqz (local.get $j)))
      (local.set $v (i32.load (i32.shl (i32.and (i32.add (local.get $i) (i32.const 34)) (i32.const 127)) (i32.const 2))))
      (local.set $i (i32.and (i32.add (local.get $i) (i32.const 1)) (i32.const 127)))
      (local.set $t (i32.load (i32.shl (local.get $i) (i32.const 2))))
      (local.set $v (i32.xor (local.get $v) (i32.shl (local.get $v) (i32.const 13))))
      (local.set $t (i32.xor (local.get $t) (i32.shl (local.get $t) (i32.const 17))))
      (local.set $v (i32.xor (local.get $v) (i32.shr_u (local.get $v) (i32.const 15))))
      (local.set $t (i32.xor (local.get $t) (i32.shr_u (local.get $t) (i32.const 12))))
      (i32.store (i32.shl (local.get $i) (i32.const 2)) (i32.xor (local.get $v) (local.get $t)))
      (local.set $j (i32.sub (local.get $j) (i32.const 1)))
      (br $warm)))
    ;; n outputs
    (local.set $k (i32.const 0))
    (block $d3 (loop $out
      (br_if $d3 (i32.ge_u (local.get $k) (local.get $n)))
      (local.set $w (i32.add (local.get $w) (i32.const 0x61c88647)))
      (local.set $v (i32.load (i32.shl (i32.and (i32.add (local.get $i) (i32.const 34)) (i32.const 127)) (i32.const 2))))
      (local.set $i (i32.and (i32.add (local.get $i) (i32.const 1)) (i32.const 127)))
      (local.set $t (i32.load (i32.shl (local.get $i) (i32.const 2))))
      (local.set $v (i32.xor (local.get $v) (i32.shl (local.get $v) (i32.const 13))))
      (local.set $t (i32.xor (local.get $t) (i32.shl (local.get $t) (i32.const 17))))
      (local.set $v (i32.xor (local.get $v) (i32.shr_u (local.get $v) (i32.const 15))))
      (local.set $t (i32.xor (local.get $t) (i32.shr_u (local.get $t) (i32.const 12))))
      (local.set $v (i32.xor (local.get $v) (local.get $t)))
      (i32.store (i32.shl (local.get $i) (i32.const 2)) (local.get $v))
      (i32.store offset=512 (i32.shl (local.get $k) (i32.const 2)) (i32.add (local.get $v) (i32.xor (local.get $w) (i32.shr_u (local.get $w) (i32.const 16)))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $out)))
  )
)
