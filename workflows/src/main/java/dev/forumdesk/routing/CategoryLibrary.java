package dev.forumdesk.routing;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The keyword library used when {@code routing.categories} names none: word stems in English,
 * Russian, Spanish and German. Matched case-insensitively with Unicode classes, so {@code \b}
 * also delimits Cyrillic words and keeps a stem from matching inside an unrelated word.
 */
public final class CategoryLibrary {
  /** Order matters, first match wins: account before technical, so "update my phone number" is account. */
  public static final Map<String, List<String>> DEFAULTS = defaults();

  private CategoryLibrary() {}

  private static Map<String, List<String>> defaults() {
    Map<String, List<String>> m = new LinkedHashMap<>();
    m.put(
        "account",
        List.of(
            "\\b(sign[ -]?in|sign[ -]?up|log[ -]?in|password|two[- ]factor|2fa|profile|e-?mail address|"
                + "phone number|username|my account|account (deletion|locked|blocked|suspended)|"
                + "(delete|close|deactivate) (my )?account|verif)",
            "\\b(passwort|kennwort|anmeld|konto|profil|benutzername|e-?mail-adresse|registrier)",
            "\\b(contraseñ|iniciar sesi|mi cuenta|(eliminar|borrar|cerrar) (mi )?cuenta|perfil|correo|"
                + "registr|usuario)",
            "\\b(парол|войти|вход|логин|аккаунт|учетн|учётн|профил|почт[аеуыо]|номер телефона|"
                + "удалить (мой )?(аккаунт|профиль)|регистрац)"));
    m.put(
        "billing",
        List.of(
            "\\b(invoice|refund|payment|pay|paid|charg|bill|receipt|subscription|price|pricing|"
                + "credit card|money|discount|coupon|vat\\b|overcharg|trial)",
            "\\b(rechnung|zahlung|erstatt|abbuch|gebühr|bezahl|geld|abos?\\b|abonnement|quittung|preis|"
                + "kreditkarte|zurückbekomm)",
            "\\b(factura|reembols|pago|pagu|cobr|cargo|suscrip|tarjeta|dinero|recibo|importe|precio|"
                + "devol)",
            "\\b(сч[её]т|возврат|оплат|неоплач|плат[её]ж|списа|деньг|средств|подписк|чек|тариф|"
                + "карт[аойуе]|вернуть|стоимост|цен[аыу])"));
    m.put(
        "technical",
        List.of(
            "\\b(error|crash|bug|broken|not working|doesn'?t work|does not work|fail|freez|froze|"
                + "hang|blank|slow|timeout|time out|upload|sync|install|update|apps?\\b|api\\b|server|"
                + "outage|down|page|button|browser|load)",
            "\\b(fehler|absturz|abstürz|stürzt|funktioniert nicht|lädt|hängt|startet nicht|starten|"
                + "server|ausfall|seite|update|apps?\\b)",
            "\\b(fallo|falla|error|no funciona|se cierra|bloquea|no carga|en blanco|página|web|"
                + "aplicaci|servidor|actualiza)",
            "\\b(ошибк|сбо[йи]|не работает|вылета|завис|не загружа|тормоз|глюч|баг|не открыва|"
                + "кнопк|браузер|не нажима|страниц|сервер|приложени|сайт)"));
    return Collections.unmodifiableMap(m);
  }
}
