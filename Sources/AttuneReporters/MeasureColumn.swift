import AttuneCore

/// A measure shown in a trajectory table or chart, with its index in `Review.measures`: the key
/// of a trajectory point's scores.
struct MeasureColumn {
    let index: Int
    let spec: MeasureSpec
}
