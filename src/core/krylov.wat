;; Kernels of the Krylov solver of policy evaluation (core/gmresKernel.ts drives them, core/krylovKernel.ts lays
;; out the memory): the products with I − γK and (I − γK)ᵀ for K = P_π in compressed rows or dense, the
;; build of P_π from P and π, and the vector operations of GMRES. Every address is a byte offset into this
;; instance's memory; vectors are f64, indices i32.
;;
;; Reductions (dot, the Gram–Schmidt projections) keep four partial sums, two f64x2 accumulators over
;; adjacent pairs, combined as (s₀ + s₂) + (s₁ + s₃) and then the scalar tail: the order differs from a
;; left-to-right sum, so results differ from a scalar loop's in the last bits (GMRES guarantees its residual
;; bound whatever the order). Element-wise operations (axpy, scaling, the residual) are the scalar
;; operations two lanes at a time. The sparse product sums each row in four partial sums too (see csrApply).
;; Assembled to dist/core/krylov.wasm by scripts/build-wasm.js (wabt) at build time.
(module
  (memory (export "memory") 1)

  ;; Σ_i x_i y_i over n entries (four partial sums, see above).
  (func $dot (export "dot") (param $x i32) (param $y i32) (param $n i32) (result f64)
    (local $a v128) (local $b v128) (local $end i32) (local $s f64)
    (local.set $end (i32.add (local.get $x) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 3))))
    (block $done
      (loop $four
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $a (f64x2.add (local.get $a) (f64x2.mul (v128.load (local.get $x)) (v128.load (local.get $y)))))
        (local.set $b (f64x2.add (local.get $b) (f64x2.mul (v128.load offset=16 (local.get $x)) (v128.load offset=16 (local.get $y)))))
        (local.set $x (i32.add (local.get $x) (i32.const 32)))
        (local.set $y (i32.add (local.get $y) (i32.const 32)))
        (br $four)))
    (local.set $a (f64x2.add (local.get $a) (local.get $b)))
    (local.set $s (f64.add (f64x2.extract_lane 0 (local.get $a)) (f64x2.extract_lane 1 (local.get $a))))
    (local.set $end (i32.add (local.get $x) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 3))))
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $s (f64.add (local.get $s) (f64.mul (f64.load (local.get $x)) (f64.load (local.get $y)))))
        (local.set $x (i32.add (local.get $x) (i32.const 8)))
        (local.set $y (i32.add (local.get $y) (i32.const 8)))
        (br $tail)))
    (local.get $s))

  ;; y ← y + α x over n entries.
  (func $axpy (export "axpy") (param $alpha f64) (param $x i32) (param $y i32) (param $n i32)
    (local $av v128) (local $end i32)
    (local.set $av (f64x2.splat (local.get $alpha)))
    (local.set $end (i32.add (local.get $x) (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3))))
    (block $done
      (loop $pair
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (v128.store (local.get $y) (f64x2.add (v128.load (local.get $y)) (f64x2.mul (local.get $av) (v128.load (local.get $x)))))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (local.set $y (i32.add (local.get $y) (i32.const 16)))
        (br $pair)))
    (if (i32.and (local.get $n) (i32.const 1))
      (then (f64.store (local.get $y) (f64.add (f64.load (local.get $y)) (f64.mul (local.get $alpha) (f64.load (local.get $x))))))))

  ;; dst ← c · src over n entries (dst may be src).
  (func (export "scale") (param $src i32) (param $dst i32) (param $c f64) (param $n i32)
    (local $cv v128) (local $end i32)
    (local.set $cv (f64x2.splat (local.get $c)))
    (local.set $end (i32.add (local.get $src) (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3))))
    (block $done
      (loop $pair
        (br_if $done (i32.ge_u (local.get $src) (local.get $end)))
        (v128.store (local.get $dst) (f64x2.mul (local.get $cv) (v128.load (local.get $src))))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (br $pair)))
    (if (i32.and (local.get $n) (i32.const 1))
      (then (f64.store (local.get $dst) (f64.mul (local.get $c) (f64.load (local.get $src)))))))

  ;; r ← b − w over n entries.
  (func (export "subtract") (param $b i32) (param $w i32) (param $r i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $b) (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3))))
    (block $done
      (loop $pair
        (br_if $done (i32.ge_u (local.get $b) (local.get $end)))
        (v128.store (local.get $r) (f64x2.sub (v128.load (local.get $b)) (v128.load (local.get $w))))
        (local.set $b (i32.add (local.get $b) (i32.const 16)))
        (local.set $w (i32.add (local.get $w) (i32.const 16)))
        (local.set $r (i32.add (local.get $r) (i32.const 16)))
        (br $pair)))
    (if (i32.and (local.get $n) (i32.const 1))
      (then (f64.store (local.get $r) (f64.sub (f64.load (local.get $b)) (f64.load (local.get $w)))))))

  ;; max_i |x_i| (NaN if any entry is NaN) and Σ_i |x_i|, over n entries.
  (func (export "maxAbs") (param $x i32) (param $n i32) (result f64)
    (local $end i32) (local $m f64)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 3))))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $m (f64.max (local.get $m) (f64.abs (f64.load (local.get $x)))))
        (local.set $x (i32.add (local.get $x) (i32.const 8)))
        (br $each)))
    (local.get $m))
  (func (export "sumAbs") (param $x i32) (param $n i32) (result f64)
    (local $end i32) (local $s f64)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 3))))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $s (f64.add (local.get $s) (f64.abs (f64.load (local.get $x)))))
        (local.set $x (i32.add (local.get $x) (i32.const 8)))
        (br $each)))
    (local.get $s))

  ;; Modified Gram–Schmidt of w (n entries) against the k basis vectors stored one after another from $v:
  ;; for i < k, h_i = ⟨w, v_i⟩ and w ← w − h_i v_i; h_i written at $h + 8i. The subtraction of v_i and the
  ;; next projection ⟨w, v_{i+1}⟩ share one pass over w (the projection sees the updated w, as MGS asks).
  (func (export "orthogonalize") (param $v i32) (param $k i32) (param $n i32) (param $w i32) (param $h i32)
    (local $i i32) (local $stride i32) (local $vi i32) (local $vn i32) (local $p i32) (local $end i32) (local $end4 i32)
    (local $d f64) (local $dv v128) (local $a v128) (local $b v128) (local $t v128) (local $u v128) (local $s f64) (local $x f64)
    (if (i32.eqz (local.get $k)) (then (return)))
    (local.set $stride (i32.shl (local.get $n) (i32.const 3)))
    (local.set $d (call $dot (local.get $w) (local.get $v) (local.get $n)))
    (local.set $vi (local.get $v))
    (local.set $end4 (i32.add (local.get $w) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 3))))
    (local.set $end (i32.add (local.get $w) (local.get $stride)))
    (block $allDone
      (loop $each
        (f64.store (i32.add (local.get $h) (i32.shl (local.get $i) (i32.const 3))) (local.get $d))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (if (i32.ge_u (local.get $i) (local.get $k))
          (then
            (call $axpy (f64.neg (local.get $d)) (local.get $vi) (local.get $w) (local.get $n))
            (br $allDone)))
        ;; w ← w − d v_{i−1} and the sums of w·v_i, in one pass
        (local.set $vn (i32.add (local.get $vi) (local.get $stride)))
        (local.set $dv (f64x2.splat (local.get $d)))
        (local.set $a (f64x2.splat (f64.const 0)))
        (local.set $b (f64x2.splat (f64.const 0)))
        (local.set $p (i32.const 0))
        (block $fourDone
          (loop $four
            (br_if $fourDone (i32.ge_u (i32.add (local.get $w) (local.get $p)) (local.get $end4)))
            (local.set $t (f64x2.sub (v128.load (i32.add (local.get $w) (local.get $p)))
              (f64x2.mul (local.get $dv) (v128.load (i32.add (local.get $vi) (local.get $p))))))
            (local.set $u (f64x2.sub (v128.load offset=16 (i32.add (local.get $w) (local.get $p)))
              (f64x2.mul (local.get $dv) (v128.load offset=16 (i32.add (local.get $vi) (local.get $p))))))
            (v128.store (i32.add (local.get $w) (local.get $p)) (local.get $t))
            (v128.store offset=16 (i32.add (local.get $w) (local.get $p)) (local.get $u))
            (local.set $a (f64x2.add (local.get $a) (f64x2.mul (local.get $t) (v128.load (i32.add (local.get $vn) (local.get $p))))))
            (local.set $b (f64x2.add (local.get $b) (f64x2.mul (local.get $u) (v128.load offset=16 (i32.add (local.get $vn) (local.get $p))))))
            (local.set $p (i32.add (local.get $p) (i32.const 32)))
            (br $four)))
        (local.set $a (f64x2.add (local.get $a) (local.get $b)))
        (local.set $s (f64.add (f64x2.extract_lane 0 (local.get $a)) (f64x2.extract_lane 1 (local.get $a))))
        (block $tailDone
          (loop $tail
            (br_if $tailDone (i32.ge_u (i32.add (local.get $w) (local.get $p)) (local.get $end)))
            (local.set $x (f64.sub (f64.load (i32.add (local.get $w) (local.get $p)))
              (f64.mul (local.get $d) (f64.load (i32.add (local.get $vi) (local.get $p))))))
            (f64.store (i32.add (local.get $w) (local.get $p)) (local.get $x))
            (local.set $s (f64.add (local.get $s) (f64.mul (local.get $x) (f64.load (i32.add (local.get $vn) (local.get $p))))))
            (local.set $p (i32.add (local.get $p) (i32.const 8)))
            (br $tail)))
        (local.set $d (local.get $s))
        (local.set $vi (local.get $vn))
        (br $each))))

  ;; x ← x + Σ_{j<k} y_j v_j (basis vectors one after another from $v, y at $y).
  (func (export "combine") (param $v i32) (param $k i32) (param $n i32) (param $y i32) (param $x i32)
    (local $j i32)
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $j) (local.get $k)))
        (call $axpy (f64.load (i32.add (local.get $y) (i32.shl (local.get $j) (i32.const 3))))
          (i32.add (local.get $v) (i32.mul (local.get $j) (i32.shl (local.get $n) (i32.const 3)))) (local.get $x) (local.get $n))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $each))))

  ;; out ← x − γ K x for K in compressed rows (i32 row starts, i32 columns, f64 values; n rows). Each row's
  ;; sum runs in four partial sums over its entries k ≡ 0, 1, 2, 3 (mod 4) from the row's start, combined as
  ;; (s₀ + s₁) + (s₂ + s₃): one chain of additions would wait on each addition's latency, four overlap the
  ;; gathers x[col[k]].
  (func (export "csrApply") (param $n i32) (param $rowStart i32) (param $col i32) (param $val i32) (param $gamma f64)
    (param $x i32) (param $out i32)
    (local $s i32) (local $k i32) (local $end i32) (local $end4 i32) (local $c i32) (local $v i32)
    (local $a0 f64) (local $a1 f64) (local $a2 f64) (local $a3 f64)
    (local.set $k (i32.load (local.get $rowStart)))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $s) (local.get $n)))
        (local.set $end (i32.load (i32.add (local.get $rowStart) (i32.shl (i32.add (local.get $s) (i32.const 1)) (i32.const 2)))))
        (local.set $end4 (i32.sub (local.get $end) (i32.and (i32.sub (local.get $end) (local.get $k)) (i32.const 3))))
        (local.set $a0 (f64.const 0))
        (local.set $a1 (f64.const 0))
        (local.set $a2 (f64.const 0))
        (local.set $a3 (f64.const 0))
        (local.set $c (i32.add (local.get $col) (i32.shl (local.get $k) (i32.const 2))))
        (local.set $v (i32.add (local.get $val) (i32.shl (local.get $k) (i32.const 3))))
        (block $fourDone
          (loop $four
            (br_if $fourDone (i32.ge_s (local.get $k) (local.get $end4)))
            (local.set $a0 (f64.add (local.get $a0) (f64.mul (f64.load (local.get $v))
              (f64.load (i32.add (local.get $x) (i32.shl (i32.load (local.get $c)) (i32.const 3)))))))
            (local.set $a1 (f64.add (local.get $a1) (f64.mul (f64.load offset=8 (local.get $v))
              (f64.load (i32.add (local.get $x) (i32.shl (i32.load offset=4 (local.get $c)) (i32.const 3)))))))
            (local.set $a2 (f64.add (local.get $a2) (f64.mul (f64.load offset=16 (local.get $v))
              (f64.load (i32.add (local.get $x) (i32.shl (i32.load offset=8 (local.get $c)) (i32.const 3)))))))
            (local.set $a3 (f64.add (local.get $a3) (f64.mul (f64.load offset=24 (local.get $v))
              (f64.load (i32.add (local.get $x) (i32.shl (i32.load offset=12 (local.get $c)) (i32.const 3)))))))
            (local.set $k (i32.add (local.get $k) (i32.const 4)))
            (local.set $c (i32.add (local.get $c) (i32.const 16)))
            (local.set $v (i32.add (local.get $v) (i32.const 32)))
            (br $four)))
        ;; the last 0–3 entries go to s₀, s₁, s₂ in turn
        (if (i32.lt_s (local.get $k) (local.get $end))
          (then
            (local.set $a0 (f64.add (local.get $a0) (f64.mul (f64.load (local.get $v))
              (f64.load (i32.add (local.get $x) (i32.shl (i32.load (local.get $c)) (i32.const 3)))))))
            (if (i32.lt_s (i32.add (local.get $k) (i32.const 1)) (local.get $end))
              (then
                (local.set $a1 (f64.add (local.get $a1) (f64.mul (f64.load offset=8 (local.get $v))
                  (f64.load (i32.add (local.get $x) (i32.shl (i32.load offset=4 (local.get $c)) (i32.const 3)))))))
                (if (i32.lt_s (i32.add (local.get $k) (i32.const 2)) (local.get $end))
                  (then
                    (local.set $a2 (f64.add (local.get $a2) (f64.mul (f64.load offset=16 (local.get $v))
                      (f64.load (i32.add (local.get $x) (i32.shl (i32.load offset=8 (local.get $c)) (i32.const 3)))))))))))))
        (local.set $k (local.get $end))
        (f64.store (i32.add (local.get $out) (i32.shl (local.get $s) (i32.const 3)))
          (f64.sub (f64.load (i32.add (local.get $x) (i32.shl (local.get $s) (i32.const 3))))
            (f64.mul (local.get $gamma) (f64.add (f64.add (local.get $a0) (local.get $a1)) (f64.add (local.get $a2) (local.get $a3))))))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br $rows))))

  ;; out ← x − γ Kᵀ x for K in compressed rows: out = x, then row by row out[c] −= (γ x[s]) K[s][c].
  (func (export "csrApplyTransposed") (param $n i32) (param $rowStart i32) (param $col i32) (param $val i32) (param $gamma f64)
    (param $x i32) (param $out i32)
    (local $s i32) (local $k i32) (local $end i32) (local $xs f64) (local $p i32)
    (memory.copy (local.get $out) (local.get $x) (i32.shl (local.get $n) (i32.const 3)))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $s) (local.get $n)))
        (local.set $k (i32.load (i32.add (local.get $rowStart) (i32.shl (local.get $s) (i32.const 2)))))
        (local.set $end (i32.load (i32.add (local.get $rowStart) (i32.shl (i32.add (local.get $s) (i32.const 1)) (i32.const 2)))))
        (local.set $xs (f64.mul (local.get $gamma) (f64.load (i32.add (local.get $x) (i32.shl (local.get $s) (i32.const 3))))))
        (if (f64.ne (local.get $xs) (f64.const 0))
          (then
            (block $rowDone
              (loop $entries
                (br_if $rowDone (i32.ge_s (local.get $k) (local.get $end)))
                (local.set $p (i32.add (local.get $out) (i32.shl (i32.load (i32.add (local.get $col) (i32.shl (local.get $k) (i32.const 2)))) (i32.const 3))))
                (f64.store (local.get $p) (f64.sub (f64.load (local.get $p))
                  (f64.mul (local.get $xs) (f64.load (i32.add (local.get $val) (i32.shl (local.get $k) (i32.const 3)))))))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $entries)))))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br $rows))))

  ;; out ← x − γ M x for a row-major n×n M (each row's sum with four partial sums, as dot).
  (func (export "denseApply") (param $m i32) (param $n i32) (param $gamma f64) (param $x i32) (param $out i32)
    (local $i i32) (local $row i32)
    (local.set $row (i32.shl (local.get $n) (i32.const 3)))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (f64.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 3)))
          (f64.sub (f64.load (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 3))))
            (f64.mul (local.get $gamma) (call $dot (i32.add (local.get $m) (i32.mul (local.get $i) (local.get $row))) (local.get $x) (local.get $n)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

  ;; out ← x − γ Mᵀ x for a row-major n×n M, without transposing: out = x, then out ← out − (γ x_i) M[i][·].
  (func (export "denseApplyTransposed") (param $m i32) (param $n i32) (param $gamma f64) (param $x i32) (param $out i32)
    (local $i i32) (local $row i32)
    (local.set $row (i32.shl (local.get $n) (i32.const 3)))
    (memory.copy (local.get $out) (local.get $x) (local.get $row))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (call $axpy (f64.neg (f64.mul (local.get $gamma) (f64.load (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 3))))))
          (i32.add (local.get $m) (i32.mul (local.get $i) (local.get $row))) (local.get $out) (local.get $n))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

  ;; K = P_π in compressed rows with repeated columns merged, from P's S·A compressed rows (i32 row starts,
  ;; i32 successors, f64 probabilities) and π (f64, S·A): row s gathers, for each a with π(a|s) > 0 in order,
  ;; π(a|s)·P(s'|s,a) into the entry of column s' (the first occurrence opens it, later ones add in order),
  ;; as mdp/discountedSolve.ts's mergeKernel(policyKernel(P, π)). $marker holds S i32 (any content on entry:
  ;; it is reset here). Returns the number of entries.
  (func (export "policyKernel") (param $S i32) (param $A i32) (param $rowStart i32) (param $next i32) (param $prob i32) (param $pi i32)
    (param $marker i32) (param $kRow i32) (param $kCol i32) (param $kVal i32) (result i32)
    (local $s i32) (local $a i32) (local $r i32) (local $j i32) (local $end i32) (local $c i32) (local $slot i32)
    (local $first i32) (local $nnz i32) (local $w f64) (local $p i32)
    (memory.fill (local.get $marker) (i32.const 255) (i32.shl (local.get $S) (i32.const 2)))
    (i32.store (local.get $kRow) (i32.const 0))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $s) (local.get $S)))
        (local.set $first (local.get $nnz))
        (local.set $a (i32.const 0))
        (block $actionsDone
          (loop $actions
            (br_if $actionsDone (i32.ge_u (local.get $a) (local.get $A)))
            (local.set $r (i32.add (i32.mul (local.get $s) (local.get $A)) (local.get $a)))
            (local.set $w (f64.load (i32.add (local.get $pi) (i32.shl (local.get $r) (i32.const 3)))))
            (if (f64.gt (local.get $w) (f64.const 0))
              (then
                (local.set $j (i32.load (i32.add (local.get $rowStart) (i32.shl (local.get $r) (i32.const 2)))))
                (local.set $end (i32.load offset=4 (i32.add (local.get $rowStart) (i32.shl (local.get $r) (i32.const 2)))))
                (block $entriesDone
                  (loop $entries
                    (br_if $entriesDone (i32.ge_s (local.get $j) (local.get $end)))
                    (local.set $c (i32.load (i32.add (local.get $next) (i32.shl (local.get $j) (i32.const 2)))))
                    (local.set $slot (i32.load (i32.add (local.get $marker) (i32.shl (local.get $c) (i32.const 2)))))
                    (if (i32.ge_s (local.get $slot) (local.get $first))
                      (then
                        (local.set $p (i32.add (local.get $kVal) (i32.shl (local.get $slot) (i32.const 3))))
                        (f64.store (local.get $p) (f64.add (f64.load (local.get $p))
                          (f64.mul (local.get $w) (f64.load (i32.add (local.get $prob) (i32.shl (local.get $j) (i32.const 3))))))))
                      (else
                        (i32.store (i32.add (local.get $marker) (i32.shl (local.get $c) (i32.const 2))) (local.get $nnz))
                        (i32.store (i32.add (local.get $kCol) (i32.shl (local.get $nnz) (i32.const 2))) (local.get $c))
                        (f64.store (i32.add (local.get $kVal) (i32.shl (local.get $nnz) (i32.const 3)))
                          (f64.mul (local.get $w) (f64.load (i32.add (local.get $prob) (i32.shl (local.get $j) (i32.const 3))))))
                        (local.set $nnz (i32.add (local.get $nnz) (i32.const 1)))))
                    (local.set $j (i32.add (local.get $j) (i32.const 1)))
                    (br $entries)))))
            (local.set $a (i32.add (local.get $a) (i32.const 1)))
            (br $actions)))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (i32.store (i32.add (local.get $kRow) (i32.shl (local.get $s) (i32.const 2))) (local.get $nnz))
        (br $rows)))
    (local.get $nnz))

  ;; M = P_π as a dense row-major S×S matrix: M = 0, then M[s][s'] += π(a|s)·P(s'|s,a) for each a with
  ;; π(a|s) > 0, in order (as discountedSolve.ts's policyMatrix).
  (func (export "policyMatrix") (param $S i32) (param $A i32) (param $rowStart i32) (param $next i32) (param $prob i32) (param $pi i32)
    (param $m i32)
    (local $s i32) (local $a i32) (local $r i32) (local $j i32) (local $end i32) (local $row i32) (local $w f64) (local $p i32)
    (memory.fill (local.get $m) (i32.const 0) (i32.shl (i32.mul (local.get $S) (local.get $S)) (i32.const 3)))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $s) (local.get $S)))
        (local.set $row (i32.add (local.get $m) (i32.mul (local.get $s) (i32.shl (local.get $S) (i32.const 3)))))
        (local.set $a (i32.const 0))
        (block $actionsDone
          (loop $actions
            (br_if $actionsDone (i32.ge_u (local.get $a) (local.get $A)))
            (local.set $r (i32.add (i32.mul (local.get $s) (local.get $A)) (local.get $a)))
            (local.set $w (f64.load (i32.add (local.get $pi) (i32.shl (local.get $r) (i32.const 3)))))
            (if (f64.gt (local.get $w) (f64.const 0))
              (then
                (local.set $j (i32.load (i32.add (local.get $rowStart) (i32.shl (local.get $r) (i32.const 2)))))
                (local.set $end (i32.load offset=4 (i32.add (local.get $rowStart) (i32.shl (local.get $r) (i32.const 2)))))
                (block $entriesDone
                  (loop $entries
                    (br_if $entriesDone (i32.ge_s (local.get $j) (local.get $end)))
                    (local.set $p (i32.add (local.get $row) (i32.shl (i32.load (i32.add (local.get $next) (i32.shl (local.get $j) (i32.const 2)))) (i32.const 3))))
                    (f64.store (local.get $p) (f64.add (f64.load (local.get $p))
                      (f64.mul (local.get $w) (f64.load (i32.add (local.get $prob) (i32.shl (local.get $j) (i32.const 3)))))))
                    (local.set $j (i32.add (local.get $j) (i32.const 1)))
                    (br $entries)))))
            (local.set $a (i32.add (local.get $a) (i32.const 1)))
            (br $actions)))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br $rows))))
  ;; ---- The Richardson steps of policy evaluation (mdp/krylovSolve.ts): each reads K once per step. ----
  ;;
  ;; Value: V = u + β1 with the residual of (I − γK) V = r formed row by row as
  ;;   res_s = ((r_s − β c_s) − u_s) + γ (K u)_s,   c = (I − γK) 1 (discountedRowSums),
  ;; the next u is u + res (β is updated by the caller). Occupancy: x ↦ ρ + γ Kᵀ x (the residual of x is that
  ;; minus x, occupancyResidual). (K u)_s is summed as in csrApply (four partial sums) or denseApply ($dot),
  ;; the scatter of Kᵀ x entry by entry in row order, as in csrOccupancyStep and denseOccupancyStep, so the
  ;; fused steps (csrBothStep, denseBothStep) give each solve the same bits as its own step.

  ;; c_s = (1 − γ) − γ(σ_s − 1), σ_s = Σ_k K[s][k] summed in order: (I − γK) 1 for compressed rows.
  (func (export "csrDiscountedRowSums") (param $n i32) (param $rowStart i32) (param $val i32) (param $gamma f64) (param $c i32)
    (local $s i32) (local $k i32) (local $end i32) (local $sigma f64)
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $s) (local.get $n)))
        (local.set $k (i32.load (i32.add (local.get $rowStart) (i32.shl (local.get $s) (i32.const 2)))))
        (local.set $end (i32.load (i32.add (local.get $rowStart) (i32.shl (i32.add (local.get $s) (i32.const 1)) (i32.const 2)))))
        (local.set $sigma (f64.const 0))
        (block $rowDone
          (loop $entries
            (br_if $rowDone (i32.ge_s (local.get $k) (local.get $end)))
            (local.set $sigma (f64.add (local.get $sigma) (f64.load (i32.add (local.get $val) (i32.shl (local.get $k) (i32.const 3))))))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $entries)))
        (f64.store (i32.add (local.get $c) (i32.shl (local.get $s) (i32.const 3)))
          (f64.sub (f64.sub (f64.const 1) (local.get $gamma)) (f64.mul (local.get $gamma) (f64.sub (local.get $sigma) (f64.const 1)))))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br $rows))))

  ;; The same for a row-major n×n M (σ_i summed left to right).
  (func (export "denseDiscountedRowSums") (param $m i32) (param $n i32) (param $gamma f64) (param $c i32)
    (local $i i32) (local $p i32) (local $end i32) (local $sigma f64)
    (local.set $p (local.get $m))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 3))))
        (local.set $sigma (f64.const 0))
        (block $rowDone
          (loop $entries
            (br_if $rowDone (i32.ge_u (local.get $p) (local.get $end)))
            (local.set $sigma (f64.add (local.get $sigma) (f64.load (local.get $p))))
            (local.set $p (i32.add (local.get $p) (i32.const 8)))
            (br $entries)))
        (f64.store (i32.add (local.get $c) (i32.shl (local.get $i) (i32.const 3)))
          (f64.sub (f64.sub (f64.const 1) (local.get $gamma)) (f64.mul (local.get $gamma) (f64.sub (local.get $sigma) (f64.const 1)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

  ;; Value step, compressed rows: out_s = u_s + res_s (above); max_s |res_s| (NaN if any is) and Σ_s res_s
  ;; (in order) written at $stats and $stats + 8.
  (func (export "csrValueStep") (param $n i32) (param $rowStart i32) (param $col i32) (param $val i32) (param $gamma f64)
    (param $beta f64) (param $c i32) (param $r i32) (param $u i32) (param $out i32) (param $stats i32)
    (local $s i32) (local $k i32) (local $end i32) (local $end4 i32) (local $cp i32) (local $v i32) (local $o i32)
    (local $cc i32) (local $vv f64)
    (local $a0 f64) (local $a1 f64) (local $a2 f64) (local $a3 f64) (local $y f64) (local $us f64) (local $res f64) (local $max f64) (local $sum f64)
    (local.set $k (i32.load (local.get $rowStart)))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $s) (local.get $n)))
        (local.set $end (i32.load (i32.add (local.get $rowStart) (i32.shl (i32.add (local.get $s) (i32.const 1)) (i32.const 2)))))
        (local.set $end4 (i32.sub (local.get $end) (i32.and (i32.sub (local.get $end) (local.get $k)) (i32.const 3))))
        (local.set $a0 (f64.const 0))
        (local.set $a1 (f64.const 0))
        (local.set $a2 (f64.const 0))
        (local.set $a3 (f64.const 0))
        (local.set $cp (i32.add (local.get $col) (i32.shl (local.get $k) (i32.const 2))))
        (local.set $v (i32.add (local.get $val) (i32.shl (local.get $k) (i32.const 3))))
        (block $fourDone
          (loop $four
            (br_if $fourDone (i32.ge_s (local.get $k) (local.get $end4)))
            (local.set $cc (i32.shl (i32.load (local.get $cp)) (i32.const 3)))
            (local.set $vv (f64.load (local.get $v)))
            (local.set $a0 (f64.add (local.get $a0) (f64.mul (local.get $vv) (f64.load (i32.add (local.get $u) (local.get $cc))))))
            (local.set $cc (i32.shl (i32.load offset=4 (local.get $cp)) (i32.const 3)))
            (local.set $vv (f64.load offset=8 (local.get $v)))
            (local.set $a1 (f64.add (local.get $a1) (f64.mul (local.get $vv) (f64.load (i32.add (local.get $u) (local.get $cc))))))
            (local.set $cc (i32.shl (i32.load offset=8 (local.get $cp)) (i32.const 3)))
            (local.set $vv (f64.load offset=16 (local.get $v)))
            (local.set $a2 (f64.add (local.get $a2) (f64.mul (local.get $vv) (f64.load (i32.add (local.get $u) (local.get $cc))))))
            (local.set $cc (i32.shl (i32.load offset=12 (local.get $cp)) (i32.const 3)))
            (local.set $vv (f64.load offset=24 (local.get $v)))
            (local.set $a3 (f64.add (local.get $a3) (f64.mul (local.get $vv) (f64.load (i32.add (local.get $u) (local.get $cc))))))
            (local.set $k (i32.add (local.get $k) (i32.const 4)))
            (local.set $cp (i32.add (local.get $cp) (i32.const 16)))
            (local.set $v (i32.add (local.get $v) (i32.const 32)))
            (br $four)))
        (if (i32.lt_s (local.get $k) (local.get $end))
          (then
            (local.set $a0 (f64.add (local.get $a0) (f64.mul (f64.load (local.get $v))
              (f64.load (i32.add (local.get $u) (i32.shl (i32.load (local.get $cp)) (i32.const 3)))))))
            (if (i32.lt_s (i32.add (local.get $k) (i32.const 1)) (local.get $end))
              (then
                (local.set $a1 (f64.add (local.get $a1) (f64.mul (f64.load offset=8 (local.get $v))
                  (f64.load (i32.add (local.get $u) (i32.shl (i32.load offset=4 (local.get $cp)) (i32.const 3)))))))
                (if (i32.lt_s (i32.add (local.get $k) (i32.const 2)) (local.get $end))
                  (then
                    (local.set $a2 (f64.add (local.get $a2) (f64.mul (f64.load offset=16 (local.get $v))
                      (f64.load (i32.add (local.get $u) (i32.shl (i32.load offset=8 (local.get $cp)) (i32.const 3)))))))))))))
        (local.set $k (local.get $end))
        (local.set $y (f64.add (f64.add (local.get $a0) (local.get $a1)) (f64.add (local.get $a2) (local.get $a3))))
        ;; res = ((r_s − β c_s) − u_s) + γ y;  out_s = u_s + res
        (local.set $o (i32.shl (local.get $s) (i32.const 3)))
        (local.set $us (f64.load (i32.add (local.get $u) (local.get $o))))
        (local.set $res (f64.add
          (f64.sub (f64.sub (f64.load (i32.add (local.get $r) (local.get $o)))
              (f64.mul (local.get $beta) (f64.load (i32.add (local.get $c) (local.get $o)))))
            (local.get $us))
          (f64.mul (local.get $gamma) (local.get $y))))
        (f64.store (i32.add (local.get $out) (local.get $o)) (f64.add (local.get $us) (local.get $res)))
        (local.set $max (f64.max (local.get $max) (f64.abs (local.get $res))))
        (local.set $sum (f64.add (local.get $sum) (local.get $res)))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br $rows)))
    (f64.store (local.get $stats) (local.get $max))
    (f64.store offset=8 (local.get $stats) (local.get $sum)))

  ;; Occupancy step, compressed rows: out ← ρ, then row by row out[col_k] += (γ x_s) K[s][k].
  (func (export "csrOccupancyStep") (param $n i32) (param $rowStart i32) (param $col i32) (param $val i32) (param $gamma f64)
    (param $x i32) (param $rho i32) (param $out i32)
    (local $s i32) (local $k i32) (local $end i32) (local $xs f64) (local $p i32)
    (memory.copy (local.get $out) (local.get $rho) (i32.shl (local.get $n) (i32.const 3)))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $s) (local.get $n)))
        (local.set $k (i32.load (i32.add (local.get $rowStart) (i32.shl (local.get $s) (i32.const 2)))))
        (local.set $end (i32.load (i32.add (local.get $rowStart) (i32.shl (i32.add (local.get $s) (i32.const 1)) (i32.const 2)))))
        (local.set $xs (f64.mul (local.get $gamma) (f64.load (i32.add (local.get $x) (i32.shl (local.get $s) (i32.const 3))))))
        (block $rowDone
          (loop $entries
            (br_if $rowDone (i32.ge_s (local.get $k) (local.get $end)))
            (local.set $p (i32.add (local.get $out) (i32.shl (i32.load (i32.add (local.get $col) (i32.shl (local.get $k) (i32.const 2)))) (i32.const 3))))
            (f64.store (local.get $p) (f64.add (f64.load (local.get $p))
              (f64.mul (local.get $xs) (f64.load (i32.add (local.get $val) (i32.shl (local.get $k) (i32.const 3)))))))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $entries)))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br $rows))))

  ;; Both steps in one pass over K (each row's entries read once from memory, then again from cache for the
  ;; scatter): csrValueStep on (u → uOut) and csrOccupancyStep on (x → xOut), the same operations.
  (func (export "csrBothStep") (param $n i32) (param $rowStart i32) (param $col i32) (param $val i32) (param $gamma f64)
    (param $beta f64) (param $c i32) (param $r i32) (param $u i32) (param $out i32) (param $stats i32)
    (param $x i32) (param $rho i32) (param $xOut i32)
    (local $s i32) (local $k i32) (local $end i32) (local $end4 i32) (local $cp i32) (local $v i32) (local $o i32)
    (local $cc i32) (local $vv f64)
    (local $a0 f64) (local $a1 f64) (local $a2 f64) (local $a3 f64) (local $y f64) (local $us f64) (local $res f64) (local $max f64) (local $sum f64)
    (local $xs f64) (local $p i32)
    (memory.copy (local.get $xOut) (local.get $rho) (i32.shl (local.get $n) (i32.const 3)))
    (local.set $k (i32.load (local.get $rowStart)))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $s) (local.get $n)))
        (local.set $end (i32.load (i32.add (local.get $rowStart) (i32.shl (i32.add (local.get $s) (i32.const 1)) (i32.const 2)))))
        (local.set $end4 (i32.sub (local.get $end) (i32.and (i32.sub (local.get $end) (local.get $k)) (i32.const 3))))
        (local.set $xs (f64.mul (local.get $gamma) (f64.load (i32.add (local.get $x) (i32.shl (local.get $s) (i32.const 3))))))
        (local.set $a0 (f64.const 0))
        (local.set $a1 (f64.const 0))
        (local.set $a2 (f64.const 0))
        (local.set $a3 (f64.const 0))
        (local.set $cp (i32.add (local.get $col) (i32.shl (local.get $k) (i32.const 2))))
        (local.set $v (i32.add (local.get $val) (i32.shl (local.get $k) (i32.const 3))))
        (block $fourDone
          (loop $four
            (br_if $fourDone (i32.ge_s (local.get $k) (local.get $end4)))
            (local.set $cc (i32.shl (i32.load (local.get $cp)) (i32.const 3)))
            (local.set $vv (f64.load (local.get $v)))
            (local.set $a0 (f64.add (local.get $a0) (f64.mul (local.get $vv) (f64.load (i32.add (local.get $u) (local.get $cc))))))
            (local.set $p (i32.add (local.get $xOut) (local.get $cc)))
            (f64.store (local.get $p) (f64.add (f64.load (local.get $p)) (f64.mul (local.get $xs) (local.get $vv))))
            (local.set $cc (i32.shl (i32.load offset=4 (local.get $cp)) (i32.const 3)))
            (local.set $vv (f64.load offset=8 (local.get $v)))
            (local.set $a1 (f64.add (local.get $a1) (f64.mul (local.get $vv) (f64.load (i32.add (local.get $u) (local.get $cc))))))
            (local.set $p (i32.add (local.get $xOut) (local.get $cc)))
            (f64.store (local.get $p) (f64.add (f64.load (local.get $p)) (f64.mul (local.get $xs) (local.get $vv))))
            (local.set $cc (i32.shl (i32.load offset=8 (local.get $cp)) (i32.const 3)))
            (local.set $vv (f64.load offset=16 (local.get $v)))
            (local.set $a2 (f64.add (local.get $a2) (f64.mul (local.get $vv) (f64.load (i32.add (local.get $u) (local.get $cc))))))
            (local.set $p (i32.add (local.get $xOut) (local.get $cc)))
            (f64.store (local.get $p) (f64.add (f64.load (local.get $p)) (f64.mul (local.get $xs) (local.get $vv))))
            (local.set $cc (i32.shl (i32.load offset=12 (local.get $cp)) (i32.const 3)))
            (local.set $vv (f64.load offset=24 (local.get $v)))
            (local.set $a3 (f64.add (local.get $a3) (f64.mul (local.get $vv) (f64.load (i32.add (local.get $u) (local.get $cc))))))
            (local.set $p (i32.add (local.get $xOut) (local.get $cc)))
            (f64.store (local.get $p) (f64.add (f64.load (local.get $p)) (f64.mul (local.get $xs) (local.get $vv))))
            (local.set $k (i32.add (local.get $k) (i32.const 4)))
            (local.set $cp (i32.add (local.get $cp) (i32.const 16)))
            (local.set $v (i32.add (local.get $v) (i32.const 32)))
            (br $four)))
        (if (i32.lt_s (local.get $k) (local.get $end))
          (then
            (local.set $a0 (f64.add (local.get $a0) (f64.mul (f64.load (local.get $v))
              (f64.load (i32.add (local.get $u) (i32.shl (i32.load (local.get $cp)) (i32.const 3)))))))
            (if (i32.lt_s (i32.add (local.get $k) (i32.const 1)) (local.get $end))
              (then
                (local.set $a1 (f64.add (local.get $a1) (f64.mul (f64.load offset=8 (local.get $v))
                  (f64.load (i32.add (local.get $u) (i32.shl (i32.load offset=4 (local.get $cp)) (i32.const 3)))))))
                (if (i32.lt_s (i32.add (local.get $k) (i32.const 2)) (local.get $end))
                  (then
                    (local.set $a2 (f64.add (local.get $a2) (f64.mul (f64.load offset=16 (local.get $v))
                      (f64.load (i32.add (local.get $u) (i32.shl (i32.load offset=8 (local.get $cp)) (i32.const 3)))))))))))))
        (local.set $y (f64.add (f64.add (local.get $a0) (local.get $a1)) (f64.add (local.get $a2) (local.get $a3))))
        ;; the scatter of the last 0–3 entries
        (block $tailDone
          (loop $tail
            (br_if $tailDone (i32.ge_s (local.get $k) (local.get $end)))
            (local.set $p (i32.add (local.get $xOut) (i32.shl (i32.load (local.get $cp)) (i32.const 3))))
            (f64.store (local.get $p) (f64.add (f64.load (local.get $p)) (f64.mul (local.get $xs) (f64.load (local.get $v)))))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (local.set $cp (i32.add (local.get $cp) (i32.const 4)))
            (local.set $v (i32.add (local.get $v) (i32.const 8)))
            (br $tail)))
        (local.set $k (local.get $end))
        ;; res = ((r_s − β c_s) − u_s) + γ y;  out_s = u_s + res
        (local.set $o (i32.shl (local.get $s) (i32.const 3)))
        (local.set $us (f64.load (i32.add (local.get $u) (local.get $o))))
        (local.set $res (f64.add
          (f64.sub (f64.sub (f64.load (i32.add (local.get $r) (local.get $o)))
              (f64.mul (local.get $beta) (f64.load (i32.add (local.get $c) (local.get $o)))))
            (local.get $us))
          (f64.mul (local.get $gamma) (local.get $y))))
        (f64.store (i32.add (local.get $out) (local.get $o)) (f64.add (local.get $us) (local.get $res)))
        (local.set $max (f64.max (local.get $max) (f64.abs (local.get $res))))
        (local.set $sum (f64.add (local.get $sum) (local.get $res)))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br $rows)))
    (f64.store (local.get $stats) (local.get $max))
    (f64.store offset=8 (local.get $stats) (local.get $sum)))

  ;; Value step for a row-major n×n M: y_i = $dot(M_i, u), then as csrValueStep.
  (func (export "denseValueStep") (param $m i32) (param $n i32) (param $gamma f64)
    (param $beta f64) (param $c i32) (param $r i32) (param $u i32) (param $out i32) (param $stats i32)
    (local $s i32) (local $o i32) (local $y f64) (local $us f64) (local $res f64) (local $max f64) (local $sum f64)
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $s) (local.get $n)))
        (local.set $y (call $dot (i32.add (local.get $m) (i32.mul (local.get $s) (i32.shl (local.get $n) (i32.const 3)))) (local.get $u) (local.get $n)))
        ;; res = ((r_s − β c_s) − u_s) + γ y;  out_s = u_s + res
        (local.set $o (i32.shl (local.get $s) (i32.const 3)))
        (local.set $us (f64.load (i32.add (local.get $u) (local.get $o))))
        (local.set $res (f64.add
          (f64.sub (f64.sub (f64.load (i32.add (local.get $r) (local.get $o)))
              (f64.mul (local.get $beta) (f64.load (i32.add (local.get $c) (local.get $o)))))
            (local.get $us))
          (f64.mul (local.get $gamma) (local.get $y))))
        (f64.store (i32.add (local.get $out) (local.get $o)) (f64.add (local.get $us) (local.get $res)))
        (local.set $max (f64.max (local.get $max) (f64.abs (local.get $res))))
        (local.set $sum (f64.add (local.get $sum) (local.get $res)))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br $rows)))
    (f64.store (local.get $stats) (local.get $max))
    (f64.store offset=8 (local.get $stats) (local.get $sum)))

  ;; Occupancy step for a row-major n×n M: out ← ρ, then out ← out + (γ x_i) M_i row by row ($axpy).
  (func (export "denseOccupancyStep") (param $m i32) (param $n i32) (param $gamma f64) (param $x i32) (param $rho i32) (param $out i32)
    (local $i i32) (local $row i32)
    (local.set $row (i32.shl (local.get $n) (i32.const 3)))
    (memory.copy (local.get $out) (local.get $rho) (local.get $row))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (call $axpy (f64.mul (local.get $gamma) (f64.load (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 3)))))
          (i32.add (local.get $m) (i32.mul (local.get $i) (local.get $row))) (local.get $out) (local.get $n))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

  ;; Both dense steps in one pass over M: for row i, $dot's four partial sums of M_i·u and $axpy's
  ;; xOut ← xOut + (γ x_i) M_i on the same loads of M_i.
  (func (export "denseBothStep") (param $m i32) (param $n i32) (param $gamma f64)
    (param $beta f64) (param $c i32) (param $r i32) (param $u i32) (param $out i32) (param $stats i32)
    (param $x i32) (param $rho i32) (param $xOut i32)
    (local $s i32) (local $o i32) (local $y f64) (local $us f64) (local $res f64) (local $max f64) (local $sum f64)
    (local $mp i32) (local $up i32) (local $xp i32) (local $end i32) (local $end4 i32) (local $xs f64) (local $xv v128)
    (local $a v128) (local $b v128) (local $m0 v128) (local $m1 v128)
    (memory.copy (local.get $xOut) (local.get $rho) (i32.shl (local.get $n) (i32.const 3)))
    (local.set $mp (local.get $m))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $s) (local.get $n)))
        (local.set $xs (f64.mul (local.get $gamma) (f64.load (i32.add (local.get $x) (i32.shl (local.get $s) (i32.const 3))))))
        (local.set $xv (f64x2.splat (local.get $xs)))
        (local.set $a (f64x2.splat (f64.const 0)))
        (local.set $b (f64x2.splat (f64.const 0)))
        (local.set $up (local.get $u))
        (local.set $xp (local.get $xOut))
        (local.set $end (i32.add (local.get $mp) (i32.shl (local.get $n) (i32.const 3))))
        (local.set $end4 (i32.add (local.get $mp) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 3))))
        (block $fourDone
          (loop $four
            (br_if $fourDone (i32.ge_u (local.get $mp) (local.get $end4)))
            (local.set $m0 (v128.load (local.get $mp)))
            (local.set $m1 (v128.load offset=16 (local.get $mp)))
            (local.set $a (f64x2.add (local.get $a) (f64x2.mul (local.get $m0) (v128.load (local.get $up)))))
            (local.set $b (f64x2.add (local.get $b) (f64x2.mul (local.get $m1) (v128.load offset=16 (local.get $up)))))
            (v128.store (local.get $xp) (f64x2.add (v128.load (local.get $xp)) (f64x2.mul (local.get $xv) (local.get $m0))))
            (v128.store offset=16 (local.get $xp) (f64x2.add (v128.load offset=16 (local.get $xp)) (f64x2.mul (local.get $xv) (local.get $m1))))
            (local.set $mp (i32.add (local.get $mp) (i32.const 32)))
            (local.set $up (i32.add (local.get $up) (i32.const 32)))
            (local.set $xp (i32.add (local.get $xp) (i32.const 32)))
            (br $four)))
        (local.set $a (f64x2.add (local.get $a) (local.get $b)))
        (local.set $y (f64.add (f64x2.extract_lane 0 (local.get $a)) (f64x2.extract_lane 1 (local.get $a))))
        (block $tailDone
          (loop $tail
            (br_if $tailDone (i32.ge_u (local.get $mp) (local.get $end)))
            (local.set $y (f64.add (local.get $y) (f64.mul (f64.load (local.get $mp)) (f64.load (local.get $up)))))
            (f64.store (local.get $xp) (f64.add (f64.load (local.get $xp)) (f64.mul (local.get $xs) (f64.load (local.get $mp)))))
            (local.set $mp (i32.add (local.get $mp) (i32.const 8)))
            (local.set $up (i32.add (local.get $up) (i32.const 8)))
            (local.set $xp (i32.add (local.get $xp) (i32.const 8)))
            (br $tail)))
        ;; res = ((r_s − β c_s) − u_s) + γ y;  out_s = u_s + res
        (local.set $o (i32.shl (local.get $s) (i32.const 3)))
        (local.set $us (f64.load (i32.add (local.get $u) (local.get $o))))
        (local.set $res (f64.add
          (f64.sub (f64.sub (f64.load (i32.add (local.get $r) (local.get $o)))
              (f64.mul (local.get $beta) (f64.load (i32.add (local.get $c) (local.get $o)))))
            (local.get $us))
          (f64.mul (local.get $gamma) (local.get $y))))
        (f64.store (i32.add (local.get $out) (local.get $o)) (f64.add (local.get $us) (local.get $res)))
        (local.set $max (f64.max (local.get $max) (f64.abs (local.get $res))))
        (local.set $sum (f64.add (local.get $sum) (local.get $res)))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br $rows)))
    (f64.store (local.get $stats) (local.get $max))
    (f64.store offset=8 (local.get $stats) (local.get $sum)))

  ;; The occupancy residual out − x of the iterate x (out = ρ + γKᵀx from a step): Σ_s |out_s − x_s| and
  ;; Σ_s (out_s − x_s), in order, written at $stats and $stats + 8.
  (func (export "occupancyResidual") (param $n i32) (param $x i32) (param $out i32) (param $stats i32)
    (local $end i32) (local $d f64) (local $l1 f64) (local $sum f64)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 3))))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $d (f64.sub (f64.load (local.get $out)) (f64.load (local.get $x))))
        (local.set $l1 (f64.add (local.get $l1) (f64.abs (local.get $d))))
        (local.set $sum (f64.add (local.get $sum) (local.get $d)))
        (local.set $x (i32.add (local.get $x) (i32.const 8)))
        (local.set $out (i32.add (local.get $out) (i32.const 8)))
        (br $each)))
    (f64.store (local.get $stats) (local.get $l1))
    (f64.store offset=8 (local.get $stats) (local.get $sum)))

  ;; x_i ← x_i + c over n entries.
  (func (export "addScalar") (param $x i32) (param $c f64) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 3))))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (f64.store (local.get $x) (f64.add (f64.load (local.get $x)) (local.get $c)))
        (local.set $x (i32.add (local.get $x) (i32.const 8)))
        (br $each))))
)
