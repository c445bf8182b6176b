import IQLCore
import IQLStorage
extension IQLError {
    /// A database's failure as IQL's error: IQL0615 when no connection could be made, else
    /// IQL0616, with the database's SQLSTATE and details as notes.
    public init(_ failure: SQLDatabaseError, database: String) {
        self.init([DatabaseReader.diagnostic(failure, database: database, at: nil)], source: nil)
    }
}
