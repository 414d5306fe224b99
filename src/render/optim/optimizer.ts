/** One update of the image from the loss and its gradient at the current image. */
export interface Optimizer {
  /** Updates `x` in place. */
  step(x: Float32Array, loss: number, grad: Float32Array): void;
}
