// A client team's code over the generated kit: three error bodies the live
// seminar server answered (paths in the arguments), decoded and switched on
// with `when`, which the compiler holds to every declared code; then a
// tri-state field set, left and cleared on the live server with the kit's
// patch body (the generated Kotlin model cannot send `null`).
import contract.errors.ApiError
import contract.errors.CreateSeminarErrorCode
import contract.errors.GetSeminarErrorCode
import contract.errors.UpdateMeBodyPatch
import java.io.File
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import kotlin.system.exitProcess

fun advice(code: CreateSeminarErrorCode): String = when (code) {
    CreateSeminarErrorCode.Unauthenticated -> "log in again"
    CreateSeminarErrorCode.ValidationFailed -> "highlight the fields"
    CreateSeminarErrorCode.InstructorRequired -> "only instructors open seminars"
    CreateSeminarErrorCode.AlreadyInCharge -> "you run one already"
    CreateSeminarErrorCode.IdempotencyKeyInFlight -> "wait, then retry with the same key"
    CreateSeminarErrorCode.IdempotencyKeyReused -> "a new request needs a new key"
    CreateSeminarErrorCode.MalformedBody,
    CreateSeminarErrorCode.UnsupportedMediaType,
    CreateSeminarErrorCode.PayloadTooLarge -> "update the app"
    CreateSeminarErrorCode.Timeout,
    CreateSeminarErrorCode.ServiceUnavailable,
    CreateSeminarErrorCode.Internal -> "try again later"
    is CreateSeminarErrorCode.Unknown -> "show the message: ${code.raw}"
}

fun check(what: String, ok: Boolean) {
    if (!ok) {
        System.err.println("kotlin kit: FAILED: $what")
        exitProcess(1)
    }
}

/** `PUT /api/v1/user/me/` with [patch]; the answer's `year`. */
fun putMe(base: String, token: String, patch: UpdateMeBodyPatch): String {
    val request = HttpRequest.newBuilder(URI("$base/api/v1/user/me/"))
        .header("authorization", "JWT $token")
        .header("content-type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(patch.toJson()))
        .build()
    val response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString())
    check("PUT /user/me/ answers 200: ${response.body()}", response.statusCode() == 200)
    return Regex("\"year\"\\s*:\\s*(null|\\d+)").find(response.body())?.groupValues?.get(1) ?: "absent"
}

fun main(args: Array<String>) {
    val (noToken, invalid, missing) = args.take(3).map { ApiError.decode(File(it).readText()) }
    val (base, token) = args.drop(3)
    check("401 decodes", noToken != null && noToken.requestId.isNotEmpty())
    check("401 is unauthenticated", CreateSeminarErrorCode.of(noToken!!) == CreateSeminarErrorCode.Unauthenticated)
    check("422 is validation_failed with fields", invalid != null &&
        CreateSeminarErrorCode.of(invalid) == CreateSeminarErrorCode.ValidationFailed &&
        invalid.fields.map { it.field }.containsAll(listOf("name", "capacity")))
    check("Korean messages decode", invalid!!.message.any { it in '\uAC00'..'\uD7A3' })
    check("404 is not_found", GetSeminarErrorCode.of(missing!!) == GetSeminarErrorCode.NotFound)
    check("a later code is Unknown", CreateSeminarErrorCode.of("new_code") == CreateSeminarErrorCode.Unknown("new_code"))
    check("not the envelope is null", ApiError.decode("<html>") == null && ApiError.decode("{}") == null)
    check("the patch sends null", UpdateMeBodyPatch().year(null).toJson() == "{\"year\":null}")
    check("set year to 7", putMe(base, token, UpdateMeBodyPatch().year(7)) == "7")
    check("leave year as it is", putMe(base, token, UpdateMeBodyPatch().company("Kit 2")) == "7")
    check("clear year", putMe(base, token, UpdateMeBodyPatch().year(null)) == "null")
    println("kotlin kit: year set, left and cleared on the live server")
    println("kotlin kit: ok (${advice(CreateSeminarErrorCode.of(invalid))}; ${invalid.fields.size} fields: ${invalid.fields.joinToString { it.field + " " + it.code }})")
}
