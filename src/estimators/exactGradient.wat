;; The exact oracle's softmax and per-agent part (estimators/exactOracle.ts, fillFactor and factorGradient,
;; documents the formulas; this is their kernel), on the memory of the factor's LU workspace (core/lu.wat),
;; which this module imports: θ, π, log π, d_ρ, V, P's compressed rows and the agents' rewards all live
;; there, at the byte offsets the caller passes. e^x is the walk kernel's (estimators/walk.wat), Math.exp's
;; algorithm bit for bit, imported; log is Math.log itself, imported. Every float operation is factorGradient's, on the same operands and in the
;; same order (WebAssembly f64 arithmetic is IEEE 754, without fused multiply-add), so the results are the
;; same to the bit. Assembled to dist/estimators/exactGradient.wasm by scripts/build-wasm.js (wabt).
(module
  (import "lu" "memory" (memory 1))
  (import "walk" "exp" (func $exp (param f64) (result f64)))
  (import "math" "log" (func $log (param f64) (result f64)))

  ;; π and log π of each row of θ (S rows of A), as core/softmax.ts's softmaxLogRows: m = max_a θ(s,a) (the
  ;; first of equal maxima; −∞ start), e_a = e^{θ(s,a) − m} summed in order of a into z, π(s,a) = e_a / z,
  ;; log π(s,a) = θ(s,a) − (m + log z) (an infinite m is kept as is, as logSumExp does).
  (func (export "softmax") (param $theta i32) (param $pi i32) (param $logPi i32) (param $S i32) (param $A i32)
    (local $s i32) (local $a i32) (local $row i32) (local $end i32) (local $p i32) (local $m f64) (local $z f64) (local $e f64)
    (local $lse f64)
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $s) (local.get $S)))
        (local.set $row (i32.shl (i32.mul (local.get $s) (local.get $A)) (i32.const 3)))
        (local.set $end (i32.add (local.get $row) (i32.shl (local.get $A) (i32.const 3))))
        (local.set $m (f64.const -inf))
        (local.set $p (local.get $row))
        (block $maxDone
          (loop $max
            (br_if $maxDone (i32.ge_u (local.get $p) (local.get $end)))
            (local.set $e (f64.load (i32.add (local.get $theta) (local.get $p))))
            (if (f64.gt (local.get $e) (local.get $m)) (then (local.set $m (local.get $e))))
            (local.set $p (i32.add (local.get $p) (i32.const 8)))
            (br $max)))
        (local.set $z (f64.const 0))
        (local.set $p (local.get $row))
        (block $expsDone
          (loop $exps
            (br_if $expsDone (i32.ge_u (local.get $p) (local.get $end)))
            (local.set $e (call $exp (f64.sub (f64.load (i32.add (local.get $theta) (local.get $p))) (local.get $m))))
            (f64.store (i32.add (local.get $pi) (local.get $p)) (local.get $e))
            (local.set $z (f64.add (local.get $z) (local.get $e)))
            (local.set $p (i32.add (local.get $p) (i32.const 8)))
            (br $exps)))
        (local.set $p (local.get $row))
        (block $normDone
          (loop $norm
            (br_if $normDone (i32.ge_u (local.get $p) (local.get $end)))
            (f64.store (i32.add (local.get $pi) (local.get $p)) (f64.div (f64.load (i32.add (local.get $pi) (local.get $p))) (local.get $z)))
            (local.set $p (i32.add (local.get $p) (i32.const 8)))
            (br $norm)))
        (local.set $lse (select (local.get $m) (f64.add (local.get $m) (call $log (local.get $z)))
          (f64.eq (f64.abs (local.get $m)) (f64.const inf))))
        (local.set $p (local.get $row))
        (block $logsDone
          (loop $logs
            (br_if $logsDone (i32.ge_u (local.get $p) (local.get $end)))
            (f64.store (i32.add (local.get $logPi) (local.get $p)) (f64.sub (f64.load (i32.add (local.get $theta) (local.get $p))) (local.get $lse)))
            (local.set $p (i32.add (local.get $p) (i32.const 8)))
            (br $logs)))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br $rows))))

  ;; r_π(s) = Σ_a π(a|s)(R(s,a) − τ log π(a|s)), actions with π(a|s) = 0 (or NaN) skipped, summed in order
  ;; of a (mdp/evaluate.ts, policyReward); into $out (S entries).
  (func (export "policyReward") (param $R i32) (param $pi i32) (param $logPi i32) (param $entropy f64)
    (param $S i32) (param $A i32) (param $out i32)
    (local $s i32) (local $a i32) (local $k i32) (local $acc f64) (local $p f64)
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $s) (local.get $S)))
        (local.set $acc (f64.const 0))
        (local.set $a (i32.const 0))
        (block $actionsDone
          (loop $actions
            (br_if $actionsDone (i32.ge_u (local.get $a) (local.get $A)))
            (local.set $p (f64.load (i32.add (local.get $pi) (local.get $k))))
            (if (f64.gt (local.get $p) (f64.const 0))
              (then
                (local.set $acc (f64.add (local.get $acc) (f64.mul (local.get $p)
                  (f64.sub (f64.load (i32.add (local.get $R) (local.get $k)))
                    (f64.mul (local.get $entropy) (f64.load (i32.add (local.get $logPi) (local.get $k))))))))))
            (local.set $k (i32.add (local.get $k) (i32.const 8)))
            (local.set $a (i32.add (local.get $a) (i32.const 1)))
            (br $actions)))
        (f64.store (i32.add (local.get $out) (i32.shl (local.get $s) (i32.const 3))) (local.get $acc))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br $rows))))

  ;; ∂J/∂θ(s,a) = ((d_ρ(s) π(a|s)) A(s,a)) · scale with A(s,a) = (R(s,a) + γ Σ_j p_j V(c_j)) − τ log π(a|s)
  ;; − V(s), the successor sum over the row's entries in order; into $out (S·A entries).
  (func (export "gradient") (param $R i32) (param $pi i32) (param $logPi i32) (param $occupancy i32) (param $V i32)
    (param $rowStart i32) (param $next i32) (param $prob i32) (param $entropy f64) (param $gamma f64) (param $scale f64)
    (param $S i32) (param $A i32) (param $out i32)
    (local $s i32) (local $a i32) (local $k i32) (local $j i32) (local $end i32)
    (local $nx f64) (local $vs f64) (local $ds f64) (local $q f64) (local $adv f64)
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $s) (local.get $S)))
        (local.set $vs (f64.load (i32.add (local.get $V) (i32.shl (local.get $s) (i32.const 3)))))
        (local.set $ds (f64.load (i32.add (local.get $occupancy) (i32.shl (local.get $s) (i32.const 3)))))
        (local.set $a (i32.const 0))
        (block $actionsDone
          (loop $actions
            (br_if $actionsDone (i32.ge_u (local.get $a) (local.get $A)))
            (local.set $nx (f64.const 0))
            (local.set $j (i32.load (i32.add (local.get $rowStart) (i32.shl (local.get $k) (i32.const 2)))))
            (local.set $end (i32.load offset=4 (i32.add (local.get $rowStart) (i32.shl (local.get $k) (i32.const 2)))))
            (block $entriesDone
              (loop $entries
                (br_if $entriesDone (i32.ge_s (local.get $j) (local.get $end)))
                (local.set $nx (f64.add (local.get $nx)
                  (f64.mul (f64.load (i32.add (local.get $prob) (i32.shl (local.get $j) (i32.const 3))))
                    (f64.load (i32.add (local.get $V) (i32.shl (i32.load (i32.add (local.get $next) (i32.shl (local.get $j) (i32.const 2)))) (i32.const 3)))))))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $entries)))
            (local.set $q (f64.add (f64.load (i32.add (local.get $R) (i32.shl (local.get $k) (i32.const 3)))) (f64.mul (local.get $gamma) (local.get $nx))))
            (local.set $adv (f64.sub (f64.sub (local.get $q)
              (f64.mul (local.get $entropy) (f64.load (i32.add (local.get $logPi) (i32.shl (local.get $k) (i32.const 3))))))
              (local.get $vs)))
            (f64.store (i32.add (local.get $out) (i32.shl (local.get $k) (i32.const 3)))
              (f64.mul (f64.mul (f64.mul (local.get $ds) (f64.load (i32.add (local.get $pi) (i32.shl (local.get $k) (i32.const 3))))) (local.get $adv)) (local.get $scale)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (local.set $a (i32.add (local.get $a) (i32.const 1)))
            (br $actions)))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br $rows)))))
