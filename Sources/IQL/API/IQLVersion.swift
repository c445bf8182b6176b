import IQLCore
import IQLStorage
import IQLLanguage
import IQLExecution
/// The version of the IQL language and engine.
public enum IQLVersion {
    /// Semantic version string.
    public static let current = "0.1.0"
}
