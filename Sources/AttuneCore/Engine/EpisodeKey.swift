/// One (client, episode): the key a timeline, its findings and a calibration episode are grouped by.
/// A pair rather than a joined string, which would be built per record and could collide.
public struct EpisodeKey: Hashable, Sendable {
    public var client: String
    public var episode: String

    public init(client: String, episode: String) {
        self.client = client
        self.episode = episode
    }
}

extension Timeline {
    /// The (client, episode) this timeline holds.
    public var key: EpisodeKey { EpisodeKey(client: client, episode: episode) }
}
