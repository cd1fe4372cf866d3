;; Dense LU factorisation with partial pivoting and its two solves (core/linalg.ts documents the operations;
;; this is their kernel), and the build of the matrix I − γ Σ_a w P_a that policy evaluation factors. Matrices are row-major n×n f64, pivots i32, vectors f64, all addressed by byte
;; offsets into this instance's memory (core/luKernel.ts lays them out).
;;
;; Every float operation is linalg.ts's, on the same operands and in the same order, so the results are
;; the same to the bit: WebAssembly f64 arithmetic is IEEE 754 with round-to-nearest and no fused
;; multiply-add. SIMD is used only where each f64x2 lane does one element's scalar operations:
;;   - the elimination update m[i][j] − f·m[k][j] of two adjacent columns j, j+1 (each element is updated
;;     once per step k, independently of the others);
;;   - the forward pass of the transposed solve, whose two lanes are the sums of rows i and i+1 of Uᵀ
;;     (adjacent columns of U), each subtracting its terms in the scalar order j = 0, 1, …;
;;   - row swaps (moves, no arithmetic).
;; The forward pass of the plain solve runs the chains of rows i and i+1 side by side (row i+1 takes its
;; last term once b[i] is known), again each in the scalar order; the backward passes are sequential,
;; since row i−1's first term needs row i's result.
;; Assembled to dist/core/lu.wasm by scripts/build-wasm.js (wabt) at build time.
(module
  (memory (export "memory") 1)

  ;; P·M = L·U in place (Doolittle, partial pivoting on the first maximum of |m[i][k]|, multipliers with
  ;; f = 0 skip their row). Writes pivot[k] for every column reached; returns −1, or the column k at which
  ;; the largest |m[i][k]| is 0 (singular: the caller throws, with m and pivot as the scalar code leaves them).
  (func (export "factor") (param $m i32) (param $piv i32) (param $n i32) (result i32)
    (local $k i32) (local $i i32) (local $p i32) (local $row i32) (local $rk i32) (local $ri i32)
    (local $a i32) (local $b i32) (local $end i32) (local $src i32)
    (local $best f64) (local $v f64) (local $inv f64) (local $f f64) (local $t f64)
    (local $fv v128) (local $tv v128)
    (local.set $row (i32.shl (local.get $n) (i32.const 3)))
    (local.set $k (i32.const 0))
    (local.set $rk (local.get $m))
    (block $done
      (loop $column
        (br_if $done (i32.ge_u (local.get $k) (local.get $n)))
        ;; pivot: the first i ≥ k with the largest |m[i][k]| (strictly greater replaces)
        (local.set $a (i32.add (local.get $rk) (i32.shl (local.get $k) (i32.const 3))))
        (local.set $best (f64.abs (f64.load (local.get $a))))
        (local.set $p (local.get $k))
        (local.set $i (i32.add (local.get $k) (i32.const 1)))
        (block $searched
          (loop $search
            (br_if $searched (i32.ge_u (local.get $i) (local.get $n)))
            (local.set $a (i32.add (local.get $a) (local.get $row)))
            (local.set $v (f64.abs (f64.load (local.get $a))))
            (if (f64.gt (local.get $v) (local.get $best))
              (then (local.set $best (local.get $v)) (local.set $p (local.get $i))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $search)))
        (i32.store (i32.add (local.get $piv) (i32.shl (local.get $k) (i32.const 2))) (local.get $p))
        (if (f64.eq (local.get $best) (f64.const 0)) (then (return (local.get $k))))
        ;; swap rows k and p, all n columns (the multipliers of L included)
        (if (i32.ne (local.get $p) (local.get $k))
          (then
            (local.set $a (local.get $rk))
            (local.set $b (i32.add (local.get $m) (i32.mul (local.get $p) (local.get $row))))
            (local.set $end (i32.add (local.get $rk) (local.get $row)))
            (block $swapped2
              (loop $swap2
                (br_if $swapped2 (i32.gt_u (i32.add (local.get $a) (i32.const 16)) (local.get $end)))
                (local.set $tv (v128.load (local.get $a)))
                (v128.store (local.get $a) (v128.load (local.get $b)))
                (v128.store (local.get $b) (local.get $tv))
                (local.set $a (i32.add (local.get $a) (i32.const 16)))
                (local.set $b (i32.add (local.get $b) (i32.const 16)))
                (br $swap2)))
            (if (i32.lt_u (local.get $a) (local.get $end))
              (then
                (local.set $t (f64.load (local.get $a)))
                (f64.store (local.get $a) (f64.load (local.get $b)))
                (f64.store (local.get $b) (local.get $t))))))
        (local.set $inv (f64.div (f64.const 1) (f64.load (i32.add (local.get $rk) (i32.shl (local.get $k) (i32.const 3))))))
        ;; rows below: f = m[i][k]·inv stored in place, then m[i][j] −= f·m[k][j] for j > k
        (local.set $i (i32.add (local.get $k) (i32.const 1)))
        (local.set $ri (i32.add (local.get $rk) (local.get $row)))
        (block $rowsDone
          (loop $rows
            (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $n)))
            (local.set $a (i32.add (local.get $ri) (i32.shl (local.get $k) (i32.const 3))))
            (local.set $f (f64.mul (f64.load (local.get $a)) (local.get $inv)))
            (f64.store (local.get $a) (local.get $f))
            (if (f64.ne (local.get $f) (f64.const 0))
              (then
                (local.set $fv (f64x2.splat (local.get $f)))
                (local.set $a (i32.add (local.get $a) (i32.const 8)))
                (local.set $src (i32.add (local.get $rk) (i32.shl (i32.add (local.get $k) (i32.const 1)) (i32.const 3))))
                (local.set $end (i32.add (local.get $ri) (local.get $row)))
                ;; four columns at a time, then two, then one
                (block $fours
                  (loop $four
                    (br_if $fours (i32.gt_u (i32.add (local.get $a) (i32.const 32)) (local.get $end)))
                    (v128.store (local.get $a)
                      (f64x2.sub (v128.load (local.get $a)) (f64x2.mul (local.get $fv) (v128.load (local.get $src)))))
                    (v128.store offset=16 (local.get $a)
                      (f64x2.sub (v128.load offset=16 (local.get $a)) (f64x2.mul (local.get $fv) (v128.load offset=16 (local.get $src)))))
                    (local.set $a (i32.add (local.get $a) (i32.const 32)))
                    (local.set $src (i32.add (local.get $src) (i32.const 32)))
                    (br $four)))
                (if (i32.le_u (i32.add (local.get $a) (i32.const 16)) (local.get $end))
                  (then
                    (v128.store (local.get $a)
                      (f64x2.sub (v128.load (local.get $a)) (f64x2.mul (local.get $fv) (v128.load (local.get $src)))))
                    (local.set $a (i32.add (local.get $a) (i32.const 16)))
                    (local.set $src (i32.add (local.get $src) (i32.const 16)))))
                (if (i32.lt_u (local.get $a) (local.get $end))
                  (then
                    (f64.store (local.get $a)
                      (f64.sub (f64.load (local.get $a)) (f64.mul (local.get $f) (f64.load (local.get $src)))))))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (local.set $ri (i32.add (local.get $ri) (local.get $row)))
            (br $rows)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (local.set $rk (i32.add (local.get $rk) (local.get $row)))
        (br $column)))
    (i32.const -1))

  ;; M = I − γ Σ_a w(s,a) P(s,a) (n×n, row-major at $m) from the S·A rows of P in compressed form (i32 row
  ;; starts, i32 columns, f64 values) and weights w (f64, S·A; groups of A rows per row of M), as
  ;; estimators/exactOracle.ts writes it: M = 0; then row by row M[s][s] = 1 and, for each a with
  ;; w(s,a) > 0 (so NaN and 0 are skipped), M[s][c_j] −= γ·(w(s,a)·p_j) over the row's entries in order.
  (func (export "identityMinusWeighted") (param $m i32) (param $n i32) (param $A i32) (param $rowStart i32) (param $col i32)
    (param $val i32) (param $w i32) (param $gamma f64)
    (local $s i32) (local $a i32) (local $row i32) (local $k i32) (local $j i32) (local $end i32) (local $p i32)
    (local $wk f64)
    (memory.fill (local.get $m) (i32.const 0) (i32.shl (i32.mul (local.get $n) (local.get $n)) (i32.const 3)))
    (local.set $s (i32.const 0))
    (local.set $k (i32.const 0))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $s) (local.get $n)))
        (local.set $row (i32.add (local.get $m) (i32.shl (i32.mul (local.get $s) (local.get $n)) (i32.const 3))))
        (f64.store (i32.add (local.get $row) (i32.shl (local.get $s) (i32.const 3))) (f64.const 1))
        (local.set $a (i32.const 0))
        (block $actionsDone
          (loop $actions
            (br_if $actionsDone (i32.ge_u (local.get $a) (local.get $A)))
            (local.set $wk (f64.load (i32.add (local.get $w) (i32.shl (local.get $k) (i32.const 3)))))
            (if (f64.gt (local.get $wk) (f64.const 0))
              (then
                (local.set $j (i32.load (i32.add (local.get $rowStart) (i32.shl (local.get $k) (i32.const 2)))))
                (local.set $end (i32.load offset=4 (i32.add (local.get $rowStart) (i32.shl (local.get $k) (i32.const 2)))))
                (block $entriesDone
                  (loop $entries
                    (br_if $entriesDone (i32.ge_s (local.get $j) (local.get $end)))
                    (local.set $p (i32.add (local.get $row) (i32.shl (i32.load (i32.add (local.get $col) (i32.shl (local.get $j) (i32.const 2)))) (i32.const 3))))
                    (f64.store (local.get $p) (f64.sub (f64.load (local.get $p))
                      (f64.mul (local.get $gamma) (f64.mul (local.get $wk) (f64.load (i32.add (local.get $val) (i32.shl (local.get $j) (i32.const 3))))))))
                    (local.set $j (i32.add (local.get $j) (i32.const 1)))
                    (br $entries)))))
            (local.set $a (i32.add (local.get $a) (i32.const 1)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $actions)))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br $rows))))

  ;; M x = b with P·M = L·U: b ← P b, L y = b (forward, unit diagonal), U x = y (backward); x overwrites b.
  (func (export "solve") (param $lu i32) (param $piv i32) (param $x i32) (param $n i32)
    (local $k i32) (local $p i32) (local $i i32) (local $j i32) (local $row i32)
    (local $ri i32) (local $a i32) (local $c i32) (local $bj i32) (local $end i32)
    (local $s0 f64) (local $s1 f64) (local $t f64) (local $xj f64)
    (local.set $row (i32.shl (local.get $n) (i32.const 3)))
    ;; the row swaps, in order k = 0 … n−1
    (local.set $k (i32.const 0))
    (block $permuted
      (loop $permute
        (br_if $permuted (i32.ge_u (local.get $k) (local.get $n)))
        (local.set $p (i32.load (i32.add (local.get $piv) (i32.shl (local.get $k) (i32.const 2)))))
        (if (i32.ne (local.get $p) (local.get $k))
          (then
            (local.set $a (i32.add (local.get $x) (i32.shl (local.get $k) (i32.const 3))))
            (local.set $c (i32.add (local.get $x) (i32.shl (local.get $p) (i32.const 3))))
            (local.set $t (f64.load (local.get $a)))
            (f64.store (local.get $a) (f64.load (local.get $c)))
            (f64.store (local.get $c) (local.get $t))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $permute)))
    ;; forward: b[i] = b[i] − Σ_{j<i} L[i][j] b[j] (subtracted in order j = 0, 1, …), rows i and i+1 together
    (local.set $i (i32.const 1))
    (block $forwardDone
      (loop $forward
        (br_if $forwardDone (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $ri (i32.add (local.get $lu) (i32.mul (local.get $i) (local.get $row))))
        (local.set $end (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 3))))
        (if (i32.lt_u (i32.add (local.get $i) (i32.const 1)) (local.get $n))
          (then
            (local.set $s0 (f64.load (local.get $end)))
            (local.set $s1 (f64.load offset=8 (local.get $end)))
            (local.set $a (local.get $ri))
            (local.set $bj (local.get $x))
            (block $pairDone
              (loop $pair
                (br_if $pairDone (i32.ge_u (local.get $bj) (local.get $end)))
                (local.set $xj (f64.load (local.get $bj)))
                (local.set $s0 (f64.sub (local.get $s0) (f64.mul (f64.load (local.get $a)) (local.get $xj))))
                (local.set $s1 (f64.sub (local.get $s1) (f64.mul (f64.load (i32.add (local.get $a) (local.get $row))) (local.get $xj))))
                (local.set $a (i32.add (local.get $a) (i32.const 8)))
                (local.set $bj (i32.add (local.get $bj) (i32.const 8)))
                (br $pair)))
            (f64.store (local.get $end) (local.get $s0))
            ;; row i+1's last term, L[i+1][i] b[i]
            (f64.store offset=8 (local.get $end)
              (f64.sub (local.get $s1) (f64.mul (f64.load (i32.add (local.get $a) (local.get $row))) (local.get $s0))))
            (local.set $i (i32.add (local.get $i) (i32.const 2))))
          (else
            (local.set $s0 (f64.load (local.get $end)))
            (local.set $a (local.get $ri))
            (local.set $bj (local.get $x))
            (block $singleDone
              (loop $single
                (br_if $singleDone (i32.ge_u (local.get $bj) (local.get $end)))
                (local.set $s0 (f64.sub (local.get $s0) (f64.mul (f64.load (local.get $a)) (f64.load (local.get $bj)))))
                (local.set $a (i32.add (local.get $a) (i32.const 8)))
                (local.set $bj (i32.add (local.get $bj) (i32.const 8)))
                (br $single)))
            (f64.store (local.get $end) (local.get $s0))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))))
        (br $forward)))
    ;; backward: b[i] = (b[i] − Σ_{j>i} U[i][j] b[j]) / U[i][i] (subtracted in order j = i+1, i+2, …)
    (local.set $i (local.get $n))
    (local.set $end (i32.add (local.get $x) (local.get $row)))
    (block $backDone
      (loop $back
        (br_if $backDone (i32.eqz (local.get $i)))
        (local.set $i (i32.sub (local.get $i) (i32.const 1)))
        (local.set $ri (i32.add (local.get $lu) (i32.mul (local.get $i) (local.get $row))))
        (local.set $c (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $s0 (f64.load (local.get $c)))
        (local.set $a (i32.add (local.get $ri) (i32.shl (i32.add (local.get $i) (i32.const 1)) (i32.const 3))))
        (local.set $bj (i32.add (local.get $c) (i32.const 8)))
        (block $termsDone
          (loop $terms
            (br_if $termsDone (i32.ge_u (local.get $bj) (local.get $end)))
            (local.set $s0 (f64.sub (local.get $s0) (f64.mul (f64.load (local.get $a)) (f64.load (local.get $bj)))))
            (local.set $a (i32.add (local.get $a) (i32.const 8)))
            (local.set $bj (i32.add (local.get $bj) (i32.const 8)))
            (br $terms)))
        (f64.store (local.get $c) (f64.div (local.get $s0) (f64.load (i32.add (local.get $ri) (i32.shl (local.get $i) (i32.const 3))))))
        (br $back))))

  ;; Mᵀ x = b with P·M = L·U (Mᵀ = Uᵀ Lᵀ P): Uᵀ z = b (forward), Lᵀ w = z (backward), x = Pᵀ w (the swaps
  ;; in order k = n−1 … 0); x overwrites b.
  (func (export "solveTransposed") (param $lu i32) (param $piv i32) (param $x i32) (param $n i32)
    (local $k i32) (local $p i32) (local $i i32) (local $row i32)
    (local $a i32) (local $c i32) (local $bj i32) (local $end i32) (local $d i32)
    (local $s0 f64) (local $s1 f64) (local $t f64) (local $sv v128)
    (local.set $row (i32.shl (local.get $n) (i32.const 3)))
    ;; forward: b[i] = (b[i] − Σ_{j<i} U[j][i] b[j]) / U[i][i]; rows i, i+1 of Uᵀ are the adjacent columns
    ;; i, i+1 of U, so one f64x2 lane per row, each subtracting in order j = 0, 1, …
    (local.set $i (i32.const 0))
    (block $forwardDone
      (loop $forward
        (br_if $forwardDone (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $end (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $a (i32.add (local.get $lu) (i32.shl (local.get $i) (i32.const 3))))
        ;; U[i][i], for both paths
        (local.set $d (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $row))))
        (if (i32.lt_u (i32.add (local.get $i) (i32.const 1)) (local.get $n))
          (then
            (local.set $sv (v128.load (local.get $end)))
            (local.set $bj (local.get $x))
            (block $pairDone
              (loop $pair
                (br_if $pairDone (i32.ge_u (local.get $bj) (local.get $end)))
                (local.set $sv (f64x2.sub (local.get $sv) (f64x2.mul (v128.load (local.get $a)) (v128.load64_splat (local.get $bj)))))
                (local.set $a (i32.add (local.get $a) (local.get $row)))
                (local.set $bj (i32.add (local.get $bj) (i32.const 8)))
                (br $pair)))
            (local.set $s0 (f64.div (f64x2.extract_lane 0 (local.get $sv)) (f64.load (local.get $d))))
            (f64.store (local.get $end) (local.get $s0))
            ;; row i+1's last term U[i][i+1] b[i], then its diagonal U[i+1][i+1]
            (local.set $s1 (f64.sub (f64x2.extract_lane 1 (local.get $sv)) (f64.mul (f64.load offset=8 (local.get $d)) (local.get $s0))))
            (f64.store offset=8 (local.get $end) (f64.div (local.get $s1) (f64.load offset=8 (i32.add (local.get $d) (local.get $row)))))
            (local.set $i (i32.add (local.get $i) (i32.const 2))))
          (else
            (local.set $s0 (f64.load (local.get $end)))
            (local.set $bj (local.get $x))
            (block $singleDone
              (loop $single
                (br_if $singleDone (i32.ge_u (local.get $bj) (local.get $end)))
                (local.set $s0 (f64.sub (local.get $s0) (f64.mul (f64.load (local.get $a)) (f64.load (local.get $bj)))))
                (local.set $a (i32.add (local.get $a) (local.get $row)))
                (local.set $bj (i32.add (local.get $bj) (i32.const 8)))
                (br $single)))
            (f64.store (local.get $end) (f64.div (local.get $s0) (f64.load (local.get $d))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))))
        (br $forward)))
    ;; backward: b[i] = b[i] − Σ_{j>i} L[j][i] b[j] (unit diagonal; subtracted in order j = i+1, i+2, …)
    (local.set $i (local.get $n))
    (local.set $end (i32.add (local.get $x) (local.get $row)))
    (block $backDone
      (loop $back
        (br_if $backDone (i32.eqz (local.get $i)))
        (local.set $i (i32.sub (local.get $i) (i32.const 1)))
        (local.set $c (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $s0 (f64.load (local.get $c)))
        ;; L[i+1][i], then down column i
        (local.set $a (i32.add (i32.add (local.get $lu) (i32.mul (i32.add (local.get $i) (i32.const 1)) (local.get $row))) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $bj (i32.add (local.get $c) (i32.const 8)))
        (block $termsDone
          (loop $terms
            (br_if $termsDone (i32.ge_u (local.get $bj) (local.get $end)))
            (local.set $s0 (f64.sub (local.get $s0) (f64.mul (f64.load (local.get $a)) (f64.load (local.get $bj)))))
            (local.set $a (i32.add (local.get $a) (local.get $row)))
            (local.set $bj (i32.add (local.get $bj) (i32.const 8)))
            (br $terms)))
        (f64.store (local.get $c) (local.get $s0))
        (br $back)))
    ;; x = Pᵀ w: the swaps in reverse order
    (local.set $k (local.get $n))
    (block $permuted
      (loop $permute
        (br_if $permuted (i32.eqz (local.get $k)))
        (local.set $k (i32.sub (local.get $k) (i32.const 1)))
        (local.set $p (i32.load (i32.add (local.get $piv) (i32.shl (local.get $k) (i32.const 2)))))
        (if (i32.ne (local.get $p) (local.get $k))
          (then
            (local.set $a (i32.add (local.get $x) (i32.shl (local.get $k) (i32.const 3))))
            (local.set $c (i32.add (local.get $x) (i32.shl (local.get $p) (i32.const 3))))
            (local.set $t (f64.load (local.get $a)))
            (f64.store (local.get $a) (f64.load (local.get $c)))
            (f64.store (local.get $c) (local.get $t))))
        (br $permute)))))
